using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Tests.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>A finding's triage as the admin page reads it: state with since/by, and history newest first, on each engine.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class TriageReaderTests(StoreKind kind) : StoreTest(kind)
{
    private static readonly DateTime T0 = ReadingStore.T0;
    [Test]
    public async Task State_AndHistory_NewestFirst_TiesByOrderOfEntry()
    {
        var target = ReadingStore.Seed(Kind, Dir);
        var key = ReadingStore.Key(3);
        await using (var write = ShadowMcpDbContext.Open(target))
        {
            TriageLedger.Apply(write, [key], new TriageChange(TriageStatus.UnderReview, "alice"), "admin-ui", T0.AddDays(1));
            // Two entries in one instant: the second one made is the newer.
            TriageLedger.Apply(write, [key], new TriageChange(Note: "first note"), "bob", T0.AddDays(2));
            TriageLedger.Apply(write, [key], new TriageChange(TriageStatus.Blocked, Note: "second note"), "bob", T0.AddDays(2));
        }
        await using var db = ShadowMcpDbContext.Open(target);
        var reader = new TriageReader(db);

        var state = await reader.StateAsync(key, CancellationToken.None);
        var history = await reader.HistoryAsync(key, CancellationToken.None);

        Assert.That(state, Is.EqualTo(new TriageState(key, TriageStatus.Blocked, "alice", T0.AddDays(2), "bob")));
        Assert.That(state.StatusSince!.Value.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That(history.Select(e => (e.Actor, e.FromStatus, e.ToStatus, e.Note)), Is.EqualTo(new[]
        {
            ("bob", TriageStatus.UnderReview, TriageStatus.Blocked, "second note"),
            ("bob", TriageStatus.UnderReview, TriageStatus.UnderReview, "first note"),
            ("admin-ui", TriageStatus.New, TriageStatus.UnderReview, (string?)null),
        }));
        Assert.That(history[^1], Has.Property(nameof(TriageEvent.ToOwner)).EqualTo("alice").And.Property(nameof(TriageEvent.At)).EqualTo(T0.AddDays(1)));
    }

    [Test]
    public async Task Untriaged_IsNewWithNobody_AndNoHistory()
    {
        var target = ReadingStore.Seed(Kind, Dir);
        await using var db = ShadowMcpDbContext.Open(target);
        var reader = new TriageReader(db);

        var state = await reader.StateAsync(ReadingStore.Key(0), CancellationToken.None);
        var history = await reader.HistoryAsync(ReadingStore.Key(0), CancellationToken.None);

        Assert.That(state, Is.EqualTo(TriageState.Untriaged(ReadingStore.Key(0))));
        Assert.That(history, Is.Empty);
    }
}
