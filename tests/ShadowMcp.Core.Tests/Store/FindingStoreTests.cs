using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Tests.Store;

[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class FindingStoreTests(StoreKind kind) : StoreTest(kind)
{
    private static Finding MakeFinding(string client, int flows, DateTime first, string rule = "mcp-initialize-request")
    {
        var f = new Finding
        {
            Endpoint = new Endpoint("10.0.0.5", 8123, null, "/mcp"),
            Transport = Transports.StreamableHttp,
            Verdict = Verdict.Shadow,
            Confidence = 0.97,
            Server = new ServerInfo("everything", "1.0"),
            Flows = flows,
            FirstSeen = first,
            LastSeen = first.AddMinutes(5),
        };
        f.Clients.Add(client);
        f.ProtocolVersions.Add("2025-06-18");
        f.Evidence.Add(new Evidence { Rule = rule, Detail = "protocolVersion=2025-06-18", Weight = 0.9, FirstSeen = first, LastSeen = first });
        return f;
    }

    [Test]
    public void SaveFileResult_SameFileTwice_CreatesNoDuplicates()
    {
        var db = StoreKinds.NewTarget(Kind, Dir, "s.db");
        var t = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
        using (var store = FindingStore.Open(db))
        {
            store.SaveFileResult("a.pcap", "sha-a", 100, new ScanStats { Packets = 10 }, null, [MakeFinding("10.0.0.7", 2, t)], t);
            store.SaveFileResult("a.pcap", "sha-a", 100, new ScanStats { Packets = 10 }, null, [MakeFinding("10.0.0.7", 2, t)], t.AddHours(1));
        }
        using var reopened = FindingStore.Open(db);
        var all = reopened.LoadFindings();
        Assert.That(all, Has.Count.EqualTo(1));
        Assert.That(all[0].Flows, Is.EqualTo(2));
        Assert.That(all[0].Evidence.Single().Count, Is.EqualTo(1));
        Assert.That(reopened.LoadFiles(), Has.Count.EqualTo(1));
    }

    [Test]
    public void SaveFileResult_TwoFilesSameEndpoint_MergesClientsFlowsAndTimes()
    {
        var db = StoreKinds.NewTarget(Kind, Dir, "s.db");
        var t = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
        using var store = FindingStore.Open(db);
        store.SaveFileResult("a.pcap", "sha-a", 100, new ScanStats(), null, [MakeFinding("10.0.0.7", 2, t)], t);
        store.SaveFileResult("b.pcap", "sha-b", 100, new ScanStats(), "truncated at byte 99", [MakeFinding("10.0.0.8", 3, t.AddDays(1))], t);

        var f = store.LoadFindings().Single();
        Assert.That(f.Clients, Is.EquivalentTo(new[] { "10.0.0.7", "10.0.0.8" }));
        Assert.That(f.Flows, Is.EqualTo(5));
        Assert.That(f.FirstSeen, Is.EqualTo(t));
        Assert.That(f.LastSeen, Is.EqualTo(t.AddDays(1).AddMinutes(5)));
        Assert.That(f.Evidence.Single().Count, Is.EqualTo(2));
        Assert.That(store.LoadFiles().Single(x => x.Sha256 == "sha-b").Error, Does.Contain("truncated"));
    }

    [Test]
    public void SaveFileResult_RescanWithoutTheFinding_RemovesThatFilesContribution()
    {
        var db = StoreKinds.NewTarget(Kind, Dir, "s.db");
        var t = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
        using var store = FindingStore.Open(db);
        store.SaveFileResult("a.pcap", "sha-a", 100, new ScanStats(), null, [MakeFinding("10.0.0.7", 2, t)], t);
        store.SaveFileResult("a.pcap", "sha-a", 100, new ScanStats(), null, [], t);
        Assert.That(store.LoadFindings(), Is.Empty);
    }
}
