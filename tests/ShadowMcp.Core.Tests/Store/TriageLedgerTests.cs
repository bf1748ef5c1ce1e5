using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Tests.Store;

[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class TriageLedgerTests(StoreKind kind) : StoreTest(kind)
{
    private static readonly DateTime T0 = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
    private static Finding Shadow(string address)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint(address, 8123, null, "/mcp"),
            Transport = Transports.StreamableHttp,
            Verdict = Verdict.Shadow,
            VerdictReason = "unmistakable MCP evidence: mcp-initialize-request",
            Confidence = 0.97,
            Flows = 2,
            FirstSeen = T0,
            LastSeen = T0.AddMinutes(5),
        };
        f.Evidence.Add(new Evidence { Rule = "mcp-initialize-request", Detail = "protocolVersion=2025-06-18", Weight = 0.9, FirstSeen = T0, LastSeen = T0 });
        return f;
    }

    private string NewStore(params string[] addresses)
    {
        var db = StoreKinds.NewTarget(Kind, Dir, "t.db");
        using var store = FindingStore.Open(db);
        store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, [.. addresses.Select(Shadow)], T0);
        return db;
    }

    private static string Key(string address) => new Endpoint(address, 8123, null, "/mcp").Key;

    [Test]
    public void Apply_StatusOwnerAndNotes_KeepsStateAndHistoryInOrder()
    {
        var db = NewStore("10.0.0.5");
        var key = Key("10.0.0.5");
        using var ctx = ShadowMcpDbContext.Open(db);
        TriageLedger.Apply(ctx, [key], new TriageChange(TriageStatus.UnderReview, "alice"), "admin-ui", T0.AddHours(1));
        TriageLedger.Apply(ctx, [key], new TriageChange(Note: "asked the data team"), "admin-ui", T0.AddHours(2));
        TriageLedger.Apply(ctx, [key], new TriageChange(TriageStatus.FalsePositive, Note: "a test harness"), "bob", T0.AddHours(3));

        var state = TriageLedger.Get(ctx, key);
        Assert.That(state.Status, Is.EqualTo("false_positive"));
        Assert.That(state.Owner, Is.EqualTo("alice"));
        Assert.That(state.StatusBy, Is.EqualTo("bob"));
        Assert.That(state.StatusSince, Is.EqualTo(T0.AddHours(3)));
        var history = TriageLedger.History(ctx, key);
        Assert.That(history.Select(h => (h.FromStatus, h.ToStatus, h.Actor, h.Note)), Is.EqualTo(new[]
        {
            ("new", "under_review", "admin-ui", (string?)null),
            ("under_review", "under_review", "admin-ui", "asked the data team"),
            ("under_review", "false_positive", "bob", "a test harness"),
        }));
        Assert.That(history[0].ToOwner, Is.EqualTo("alice"));
        Assert.That(history.Select(h => h.At), Is.Ordered);
    }

    [Test]
    public void Apply_NothingChanges_AddsNoHistory()
    {
        var db = NewStore("10.0.0.5");
        using var ctx = ShadowMcpDbContext.Open(db);
        var key = Key("10.0.0.5");
        Assert.That(TriageLedger.Apply(ctx, [key], new TriageChange(TriageStatus.UnderReview), "admin-ui", T0), Is.EqualTo(1));
        Assert.That(TriageLedger.Apply(ctx, [key], new TriageChange(TriageStatus.UnderReview, Note: "  "), "admin-ui", T0.AddHours(1)), Is.Zero);
        Assert.That(TriageLedger.History(ctx, key), Has.Count.EqualTo(1));
    }

    [Test]
    public void Approve_MakesTheFindingSanctioned_UntilUnapproved()
    {
        var db = NewStore("10.0.0.5");
        var key = Key("10.0.0.5");
        using (var ctx = ShadowMcpDbContext.Open(db))
            TriageLedger.Apply(ctx, [key], new TriageChange(TriageStatus.Approved), "admin-ui", T0.AddHours(1));
        using (var store = FindingStore.Open(db))
        {
            var f = store.LoadFindings().Single();
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
            Assert.That(f.VerdictReason, Does.StartWith("approved in triage by admin-ui").And.Contain("the rules said shadow"));
        }
        using (var ctx = ShadowMcpDbContext.Open(db))
            TriageLedger.Apply(ctx, [key], new TriageChange(TriageStatus.UnderReview), "admin-ui", T0.AddHours(2));
        using (var store = FindingStore.Open(db))
            Assert.That(store.LoadFindings().Single().Verdict, Is.EqualTo(Verdict.Shadow));
    }

    [Test]
    public void Rescan_KeepsStatusOwnerAndApproval()
    {
        var db = NewStore("10.0.0.5", "10.0.0.6");
        using (var ctx = ShadowMcpDbContext.Open(db))
        {
            TriageLedger.Apply(ctx, [Key("10.0.0.5")], new TriageChange(TriageStatus.Approved, "alice"), "admin-ui", T0.AddHours(1));
            TriageLedger.Apply(ctx, [Key("10.0.0.6")], new TriageChange(TriageStatus.UnderReview, "bob"), "admin-ui", T0.AddHours(1));
        }
        using (var store = FindingStore.Open(db))
        {
            // The same file again, and a new file that sees both endpoints: both rewrite the finding rows.
            store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, [Shadow("10.0.0.5"), Shadow("10.0.0.6")], T0.AddDays(1));
            store.SaveFileResult("b.pcap", "sha-b", 1, new ScanStats(), null, [Shadow("10.0.0.5"), Shadow("10.0.0.6")], T0.AddDays(1));
            var byKey = store.LoadFindings().ToDictionary(f => f.Endpoint.Key);
            Assert.That(byKey[Key("10.0.0.5")].Verdict, Is.EqualTo(Verdict.Sanctioned));
            Assert.That(byKey[Key("10.0.0.6")].Verdict, Is.EqualTo(Verdict.Shadow));
        }
        using var reopened = ShadowMcpDbContext.Open(db);
        Assert.That(TriageLedger.Get(reopened, Key("10.0.0.5")).Owner, Is.EqualTo("alice"));
        Assert.That(TriageLedger.Get(reopened, Key("10.0.0.6")).Status, Is.EqualTo("under_review"));
    }

    [Test]
    public void Apply_ManyKeys_ChangesEachOnceInOneAction()
    {
        var addresses = Enumerable.Range(1, 30).Select(i => $"10.0.1.{i}").ToArray();
        var db = NewStore(addresses);
        using var ctx = ShadowMcpDbContext.Open(db);
        var keys = addresses.Select(Key).ToList();
        Assert.That(TriageLedger.Apply(ctx, [.. keys, keys[0]], new TriageChange(TriageStatus.Blocked, "carol"), "admin-ui", T0), Is.EqualTo(30));
        Assert.That(ctx.FindingTriageHistory.Count(), Is.EqualTo(30));
        var decisions = TriageLedger.Decisions(ctx);
        Assert.That(decisions.Block, Has.Count.EqualTo(30));
        Assert.That(decisions.NeverBlock, Is.Empty);
    }

    [Test]
    public void Apply_NoteTooLong_RecordsNothing()
    {
        var db = NewStore("10.0.0.5");
        using var ctx = ShadowMcpDbContext.Open(db);
        var note = new string('x', TriageChange.MaxNoteLength + 1);
        Assert.Throws<TriageException>(() => TriageLedger.Apply(ctx, [Key("10.0.0.5")], new TriageChange(TriageStatus.Blocked, Note: note), "admin-ui", T0));
        Assert.Throws<TriageException>(() => TriageLedger.Apply(ctx, [Key("10.0.0.5")], new TriageChange(TriageStatus.Blocked), " ", T0));
        Assert.That(ctx.FindingTriage.Count(), Is.Zero);
        Assert.That(ctx.FindingTriageHistory.Count(), Is.Zero);
    }

    [Test]
    public void Decisions_ApprovedAndFalsePositiveAreExceptions()
    {
        var db = NewStore("10.0.0.5", "10.0.0.6", "10.0.0.7");
        using var ctx = ShadowMcpDbContext.Open(db);
        TriageLedger.Apply(ctx, [Key("10.0.0.5")], new TriageChange(TriageStatus.Approved), "admin-ui", T0);
        TriageLedger.Apply(ctx, [Key("10.0.0.6")], new TriageChange(TriageStatus.FalsePositive), "admin-ui", T0);
        TriageLedger.Apply(ctx, [Key("10.0.0.7")], new TriageChange(TriageStatus.UnderReview), "admin-ui", T0);
        var d = TriageLedger.Decisions(ctx);
        Assert.That(d.NeverBlock, Is.EquivalentTo(new[] { Key("10.0.0.5"), Key("10.0.0.6") }));
        Assert.That(d.Block, Is.Empty);
    }
}
