using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Tests.Store;

/// <summary>
/// The report reads whole tables through <see cref="StoredFindingReader"/> (plain SQL) instead of EF Core: on both
/// engines it must give exactly what the EF mapping gives, including empty, null and damaged columns.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class StoredFindingReaderTests(StoreKind kind) : StoreTest(kind)
{
    private static Finding Make(string address, Verdict verdict, string client, params (string Rule, double Weight, string Detail)[] evidence)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint(address, 8123, $"mcp.{address}.example", "/mcp"),
            Transport = Transports.StreamableHttp,
            Verdict = verdict,
            VerdictReason = verdict == Verdict.Sanctioned ? "matches sanctioned upstream 'github'" : null,
            Confidence = 0.875,
            Server = new ServerInfo("srv-" + address, verdict == Verdict.Shadow ? "1.2.3" : null),
            Flows = 7,
            FirstSeen = new DateTime(2026, 11, 30, 8, 15, 30, DateTimeKind.Utc),
            LastSeen = new DateTime(2026, 12, 1, 9, 45, 0, DateTimeKind.Utc),
        };
        f.Clients.UnionWith([client, "10.9.9.9"]);
        f.Hosts.Add("alt.example");
        f.ProtocolVersions.Add("2025-06-18");
        f.ClientApps.Add("claude-code 2.1");
        f.Tools.UnionWith(["read_file", "delete_repo"]);
        foreach (var (rule, weight, detail) in evidence)
            f.Evidence.Add(new Evidence { Rule = rule, Title = rule + " title", Level = "high", Detail = detail, Weight = weight, Count = 3, FirstSeen = f.FirstSeen, LastSeen = f.LastSeen, Example = rule == "b" ? null : "POST /mcp" });
        return f;
    }

    [Test]
    public void AnUnknownVerdictName_ReadsAsSuspected_ByEveryReader()
    {
        var target = StoreKinds.NewTarget(Kind, Dir, "unknown.db");
        using var store = FindingStore.Open(target);
        store.SaveFileResult("a.pcap", "sha-a", 10, new ScanStats(), null, [Make("10.0.0.1", Verdict.Shadow, "172.16.0.1")], new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc));
        store.Context.Database.ExecuteSqlRaw("UPDATE findings SET \"Verdict\" = 'quarantined'");

        Assert.That(StoredFindingReader.ReadFindings(store.Context).Single().Finding.Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(FindingRowMapper.ToFinding(store.Context.Findings.AsNoTracking().Single()).Verdict, Is.EqualTo(Verdict.Suspected));
    }

    [Test]
    public void ReadsEveryFindingAndItsEvidence_AsTheEfMappingDoes()
    {
        var target = StoreKinds.NewTarget(Kind, Dir, "reader.db");
        using var store = FindingStore.Open(target);
        store.SaveFileResult("a.pcap", "sha-a", 10, new ScanStats(), null,
        [
            Make("10.0.0.1", Verdict.Shadow, "172.16.0.1", ("b", 0.5, "z"), ("a", 0.5, "y"), ("c", 0.9, "x")),
            Make("10.0.0.2", Verdict.Sanctioned, "172.16.0.2", ("a", 0.2, "only")),
            Make("10.0.0.3", Verdict.Suspected, "172.16.0.3"),
        ], new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc));
        TriageLedger.Apply(store.Context, ["10.0.0.2:8123/mcp"], new TriageChange(TriageStatus.FalsePositive, "alice"), "admin-ui", new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc));
        // A damaged set column reads as empty, as it does through the EF mapping.
        store.Context.Database.ExecuteSqlRaw("UPDATE findings SET \"ToolsJson\" = 'not json' WHERE \"Address\" = '10.0.0.3'");

        var read = StoredFindingReader.ReadFindings(store.Context);
        var viaEf = store.Context.Findings.AsNoTracking().Include(f => f.Evidence).OrderBy(f => f.Id).ToList();

        Assert.That(read.Select(r => r.Id), Is.EqualTo(viaEf.Select(r => r.Id)));
        Assert.That(read.Select(r => r.EndpointKey), Is.EqualTo(viaEf.Select(r => r.EndpointKey)));
        var evidence = StoredFindingReader.ReadEvidence(store.Context, read.Select(r => r.Id).ToHashSet());
        for (var i = 0; i < read.Count; i++)
        {
            var expected = FindingRowMapper.ToFinding(viaEf[i]);
            var actual = read[i].Finding;
            Assert.That(Describe(actual, evidence.GetValueOrDefault(read[i].Id) ?? []), Is.EqualTo(Describe(expected, expected.Evidence)), read[i].EndpointKey);
            Assert.That(actual.FirstSeen.Kind, Is.EqualTo(DateTimeKind.Utc));
        }
        Assert.That(read[2].Finding.Tools, Is.Empty);
        Assert.That(read.Select(r => r.Triage), Is.EqualTo(new[] { TriageStatus.New, TriageStatus.FalsePositive, TriageStatus.New }), "untriaged findings are new");
        Assert.That(evidence[read[0].Id].Select(e => e.Rule), Is.EqualTo(new[] { "c", "a", "b" }), "strongest first, then by rule");
        Assert.That(evidence.ContainsKey(read[2].Id), Is.False);

        var onlyFirst = StoredFindingReader.ReadEvidence(store.Context, new HashSet<long> { read[0].Id });
        Assert.That(onlyFirst.Keys, Is.EqualTo(new[] { read[0].Id }), "evidence of findings not asked for is left out");
    }

    private static string Describe(Finding f, IEnumerable<Evidence> evidence) => string.Join(" | ",
        f.Endpoint.Key, f.Verdict, f.VerdictReason, f.Confidence, f.Server?.Name, f.Server?.Version, f.Transport, f.Flows,
        f.FirstSeen.ToString("O"), f.LastSeen.ToString("O"), string.Join(',', f.Hosts), string.Join(',', f.AddressNames),
        string.Join(',', f.ProtocolVersions), string.Join(',', f.Clients), string.Join(',', f.ClientApps), string.Join(',', f.Tools),
        string.Join(';', evidence.Select(e => $"{e.Rule}/{e.Title}/{e.Level}/{e.Detail}/{e.Weight}/{e.Count}/{e.FirstSeen:O}/{e.LastSeen:O}/{e.Example}")));
}
