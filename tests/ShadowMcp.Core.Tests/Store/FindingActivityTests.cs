using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Tests.Store;

[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class FindingActivityTests(StoreKind kind) : StoreTest(kind)
{
    private static Finding MakeFinding(DateTime first, DateTime last, int flows)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint("10.0.0.5", 8123, null, "/mcp"),
            Verdict = Verdict.Shadow,
            Flows = flows,
            FirstSeen = first,
            LastSeen = last,
        };
        f.Evidence.Add(new Evidence { Rule = "r", Detail = "d", FirstSeen = first, LastSeen = last });
        return f;
    }

    [Test]
    public void SaveFileResult_FindingOverThreeHours_SpreadsFlowsPerHour()
    {
        var t = new DateTime(2026, 11, 20, 10, 30, 0, DateTimeKind.Utc);
        using var store = FindingStore.Open(StoreKinds.NewTarget(Kind, Dir, "s.db"));
        store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, [MakeFinding(t, t.AddHours(2), 7)], t);

        var rows = store.Context.FindingActivity.AsNoTracking().OrderBy(a => a.Hour).ToList();
        Assert.That(rows.Select(r => r.Hour.Hour), Is.EqualTo(new[] { 10, 11, 12 }));
        Assert.That(rows.Select(r => r.Flows), Is.EqualTo(new[] { 3, 2, 2 }));
    }

    [Test]
    public void SaveFileResult_RescanSameFile_ReplacesItsActivity()
    {
        var t = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
        using var store = FindingStore.Open(StoreKinds.NewTarget(Kind, Dir, "s.db"));
        store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, [MakeFinding(t, t, 4)], t);
        store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, [MakeFinding(t, t, 4)], t);
        store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, [], t);

        Assert.That(store.Context.FindingActivity.Count(), Is.Zero);
    }
}
