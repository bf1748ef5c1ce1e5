using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Tests.Store;

/// <summary>
/// File results with more findings than one query's key list (<see cref="FindingStore.MaxKeysPerQuery"/>): every
/// row is saved, and a rescan with fewer findings replaces only that file's contribution. Correctness only.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class FindingStoreBatchTests(StoreKind kind) : StoreTest(kind)
{
    private static readonly DateTime T = new(2026, 11, 20, 10, 30, 0, DateTimeKind.Utc);
    /// <summary>Endpoint number <paramref name="i"/>: mostly address:port/path, every tenth a host name.</summary>
    private static Endpoint EndpointOf(int i) => i % 10 == 0
        ? new Endpoint(null, null, $"mcp{i}.example.com", null)
        : new Endpoint($"10.{i / 256 % 256}.{i % 256}.5", 8000 + i % 7, null, "/mcp");

    // An hour from hh:30, so each contribution spreads over two hours of activity.
    private static Finding MakeFinding(int i, string client, int flows)
    {
        var f = new Finding
        {
            Endpoint = EndpointOf(i),
            Transport = Transports.StreamableHttp,
            Verdict = Verdict.Shadow,
            Confidence = 0.9,
            Flows = flows,
            FirstSeen = T,
            LastSeen = T.AddMinutes(60),
        };
        f.Clients.Add(client);
        f.Evidence.Add(new Evidence { Rule = "mcp-initialize-request", Detail = "n=" + i, Weight = 0.6, FirstSeen = T, LastSeen = T });
        return f;
    }

    private static List<Finding> Range(int from, int count, string client, int flows) =>
        [.. Enumerable.Range(from, count).Select(i => MakeFinding(i, client, flows))];

    // 2,000 keys are four chunks of FindingStore.MaxKeysPerQuery (500).
    [Test]
    public void SaveFileResult_ThousandsOfFindings_SavesEveryRow()
    {
        using var store = FindingStore.Open(StoreKinds.NewTarget(Kind, Dir, "s.db"));
        store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, Range(0, 2_000, "10.0.0.7", 2), T);

        var db = store.Context;
        Assert.Multiple(() =>
        {
            Assert.That(db.Findings.Count(), Is.EqualTo(2_000));
            Assert.That(db.Findings.Select(f => f.EndpointKey).ToHashSet(), Is.EquivalentTo(Enumerable.Range(0, 2_000).Select(i => EndpointOf(i).Key)));
            Assert.That(db.FindingSources.Count(), Is.EqualTo(2_000));
            Assert.That(db.FindingActivity.Count(), Is.EqualTo(4_000));
            Assert.That(db.FindingActivity.Sum(a => a.Flows), Is.EqualTo(4_000));
            Assert.That(db.Evidence.Count(), Is.EqualTo(2_000));
            Assert.That(db.Findings.Count(f => f.Flows != 2 || f.ClientsJson != "[\"10.0.0.7\"]"), Is.Zero);
        });
        var loaded = store.LoadFindings();
        Assert.That(loaded, Has.Count.EqualTo(2_000));
        Assert.That(loaded.Single(f => f.Endpoint.Key == EndpointOf(1_234).Key).Evidence.Single().Detail, Is.EqualTo("n=1234"));
    }

    [Test]
    public void SaveFileResult_RescanWithASubset_ReplacesOnlyThatFilesContribution()
    {
        using var store = FindingStore.Open(StoreKinds.NewTarget(Kind, Dir, "s.db"));
        // A: endpoints 0..1999. B: 1500..2199, so 1500..1999 are shared.
        store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, Range(0, 2_000, "10.0.0.7", 2), T);
        store.SaveFileResult("b.pcap", "sha-b", 1, new ScanStats(), null, Range(1_500, 700, "10.0.0.8", 3), T.AddHours(1));
        Assert.That(store.Context.Findings.Count(), Is.EqualTo(2_200));

        // A again, now only 0..499 and 1500..1599, with other flows: 500..1499 lose their only source.
        store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null,
            [.. Range(0, 500, "10.0.0.9", 4), .. Range(1_500, 100, "10.0.0.9", 4)], T.AddHours(2));

        var findings = store.LoadFindings().ToDictionary(f => f.Endpoint.Key);
        var db = store.Context;
        var fileA = db.ScannedFiles.Single(f => f.Sha256 == "sha-a").Id;
        var fileB = db.ScannedFiles.Single(f => f.Sha256 == "sha-b").Id;
        Finding At(int i) => findings[EndpointOf(i).Key];
        Assert.Multiple(() =>
        {
            Assert.That(findings, Has.Count.EqualTo(500 + 100 + 600));
            Assert.That(Enumerable.Range(500, 1_000).Count(i => findings.ContainsKey(EndpointOf(i).Key)), Is.Zero, "A's old-only findings are gone");
            Assert.That(Enumerable.Range(0, 500).All(i => At(i).Flows == 4 && At(i).Clients.SequenceEqual(["10.0.0.9"])), "A-only: A's new contribution");
            Assert.That(Enumerable.Range(1_500, 100).All(i => At(i).Flows == 7 && At(i).Clients.SequenceEqual(["10.0.0.8", "10.0.0.9"])
                && At(i).Evidence.Single().Count == 2), "shared and rescanned: B's plus A's new");
            Assert.That(Enumerable.Range(1_600, 600).All(i => At(i).Flows == 3 && At(i).Clients.SequenceEqual(["10.0.0.8"])
                && At(i).Evidence.Single().Count == 1), "no longer in A: B's alone");
            Assert.That(db.FindingSources.Count(s => s.ScannedFileId == fileA), Is.EqualTo(600));
            Assert.That(db.FindingSources.Count(s => s.ScannedFileId == fileB), Is.EqualTo(700));
            Assert.That(db.FindingActivity.Count(a => a.ScannedFileId == fileA), Is.EqualTo(1_200));
            Assert.That(db.FindingActivity.Where(a => a.ScannedFileId == fileA).Sum(a => a.Flows), Is.EqualTo(2_400));
            Assert.That(db.FindingActivity.Count(a => a.ScannedFileId == fileB), Is.EqualTo(1_400));
            Assert.That(db.Evidence.Count(), Is.EqualTo(1_200));
            Assert.That(db.Findings.Count(f => f.UpdatedAt == T.AddHours(2)), Is.EqualTo(500 + 100 + 400),
                "recomputed: the findings A has now and those it had (500..1499 are removed, B's 2000..2199 untouched)");
        });
    }
}
