using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Tests.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>
/// One store for the read API's tests, saved through <see cref="FindingStore"/> and <see cref="TriageLedger"/> like a
/// real one: <see cref="Count"/> findings with every verdict, ties in first seen, last seen, flows and confidence (so
/// the tie order matters when paging), some without a server name, text with LIKE's wildcards in it, and every triage
/// status, including a triaged finding that is still new; and every basis (<see cref="BasisOf"/>): content, decrypted,
/// a probe-only finding and one seen by the probe and a capture, host, name, shape, and evidence no rule places.
/// </summary>
internal static class ReadingStore
{
    public const int Count = 23;

    /// <summary>Monday 2026-11-16 00:00 UTC; findings go back from here six hours per pair.</summary>
    public static readonly DateTime T0 = new(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc);

    public const string Percent = "100%_done";
    public const string Wildcards = "100x done";
    public const string MixedCase = "Everything";
    public const string ToolDetail = "tool=Write_File";

    public static string Key(int i) => Make(i).Endpoint.Key;

    /// <summary>The finding only <c>shadowmcp probe</c> saw, and one both the probe and a.pcap saw.</summary>
    public const int ProbeOnly = 17, ProbeAndCapture = 3;

    /// <summary>What each finding's evidence was made to show, as the tests expect it (primary first).</summary>
    public static string BasisOf(int i) => i switch
    {
        ProbeOnly => "probe",
        ProbeAndCapture => "content probe",
        4 => "shape",
        15 => "shape",
        5 or 18 => "name shape",
        8 => "name",
        2 or 16 => "decrypted",
        20 => "host",
        21 => "other",
        _ when i % 6 == 0 => "content other",
        _ => "content",
    };

    public static string Seed(StoreKind kind, string dir)
    {
        var target = StoreKinds.NewTarget(kind, dir, "read.db");
        using (var store = FindingStore.Open(target))
        {
            store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, [.. Enumerable.Range(0, Count).Where(i => i != ProbeOnly).Select(Make)], T0);
            store.SaveFileResult(BasisRules.ProbeSourcePath, "probe:1", 0, new ScanStats(), null, [Make(ProbeOnly), Make(ProbeAndCapture)], T0);
            store.SaveFileResult("live:eth0", "live-eth0-1", 0,
                new ScanStats { Packets = 900, CaptureReceived = 1000, CaptureDropped = 7, CaptureInterfaceDropped = 1 }, null, [], T0.AddHours(1));
        }
        using var db = ShadowMcpDbContext.Open(target);
        TriageLedger.Apply(db, [Key(1), Key(4)], new TriageChange(TriageStatus.UnderReview, "alice"), "admin-ui", T0.AddHours(1));
        TriageLedger.Apply(db, [Key(2)], new TriageChange(TriageStatus.Blocked), "bob", T0.AddHours(2));
        TriageLedger.Apply(db, [Key(5)], new TriageChange(TriageStatus.FalsePositive, Note: "a test rig"), "bob", T0.AddHours(2));
        TriageLedger.Apply(db, [Key(7)], new TriageChange(TriageStatus.Approved), "carol", T0.AddHours(3));
        // A row whose status is "new": an owner was set, or a status set and taken back.
        TriageLedger.Apply(db, [Key(8)], new TriageChange(Owner: "dave"), "admin-ui", T0.AddHours(4));
        TriageLedger.Apply(db, [Key(10)], new TriageChange(TriageStatus.UnderReview), "admin-ui", T0.AddHours(4));
        TriageLedger.Apply(db, [Key(10)], new TriageChange(TriageStatus.New, Note: "not yet"), "erin", T0.AddHours(5));
        return target;
    }

    /// <summary>Every finding as the store's own model load gives it, with its triage, for the tests to compare against.</summary>
    public static List<ModelFinding> Model(string target)
    {
        using var store = FindingStore.Open(target);
        var probeIds = store.Context.FindingSources.AsNoTracking()
            .Join(store.Context.ScannedFiles.AsNoTracking(), s => s.ScannedFileId, file => file.Id, (s, file) => new { s.FindingId, file.Path })
            .AsEnumerable().GroupBy(x => x.FindingId)
            .ToDictionary(g => g.Key, g => new SourceKinds(g.Any(x => x.Path == BasisRules.ProbeSourcePath), g.Any(x => x.Path != BasisRules.ProbeSourcePath)));
        var triage = store.Context.FindingTriage.AsNoTracking().ToDictionary(t => t.EndpointKey, StringComparer.Ordinal);
        var ids = store.Context.Findings.AsNoTracking().ToDictionary(f => f.EndpointKey, f => f.Id, StringComparer.Ordinal);
        return [.. store.LoadFindings().Select(f =>
        {
            var t = triage.GetValueOrDefault(f.Endpoint.Key);
            var id = ids[f.Endpoint.Key];
            return new ModelFinding(id, f, TriageStatusNames.Parse(t?.Status), t?.Owner) { Sources = probeIds.GetValueOrDefault(id) };
        })];
    }

    private static Finding Make(int i)
    {
        var first = T0.AddHours(-6 * (i / 2));
        var f = new Finding
        {
            // One DNS name in mixed case; the rest address:port/path.
            Endpoint = i == 0 ? new Endpoint(null, null, "MCP.Example.com", null) : new Endpoint($"10.0.{i % 3}.{i}", 8000 + (i % 2), null, "/mcp"),
            Transport = i == 0 ? Transports.Dns : Transports.StreamableHttp,
            Verdict = (i % 3) switch { 0 => Verdict.Shadow, 1 => Verdict.Suspected, _ => Verdict.Sanctioned },
            Confidence = i % 7 / 10.0,
            Flows = i % 5,
            FirstSeen = first,
            LastSeen = first.AddHours(i % 2 == 0 ? 6 : 0),
            Server = (i % 4, i) switch
            {
                (0, _) => null,
                (_, 6) => new ServerInfo(Percent, null),
                (_, 9) => new ServerInfo(Wildcards, null),
                (_, 13) => new ServerInfo(MixedCase, "2.0"),
                _ => new ServerInfo($"srv-{(char)('a' + i % 5)}", "1.0"),
            },
        };
        f.Clients.Add($"10.1.0.{i % 4}");
        if (i % 5 == 1) f.Hosts.Add($"h{i}.corp");
        void Add(string rule, string detail) => f.Evidence.Add(new Evidence { Rule = rule, Detail = detail, Weight = 0.4, FirstSeen = first, LastSeen = first });
        switch (i)
        {
            case 4 or 15:
                Add("mcp-shape-session", "score=0.91 clients=one");
                if (i == 15) Add("mcp-shape-several-clients", "score=0.95 clients=several");
                return f;
            case 5 or 18:
                Add("mcp-known-host-tls", $"sni=h{i}.known");
                Add("mcp-shape-session", "score=0.88 clients=one");
                return f;
            case 8: Add("mcp-host-pattern", "query=mcp.h8.corp"); return f;
            case 20: Add("host.config", "agent=cursor file=mcp.json"); return f;
            case 21: Add("mcp-hostname", "name=h21.corp"); return f;
        }
        f.Evidence.Add(new Evidence
        {
            Rule = "mcp-initialize-request", Detail = i == 11 ? ToolDetail : i is 2 or 16 ? "method=initialize" + BasisRules.DecryptedSuffix : "method=initialize",
            Weight = 0.9, FirstSeen = first, LastSeen = first, Example = i == 12 ? "POST /Secret-Path" : null,
        });
        if (i % 6 == 0) f.Evidence.Add(new Evidence { Rule = "mcp-session-header", Detail = "header=Mcp-Session-Id", Weight = 0.5, FirstSeen = first, LastSeen = first });
        return f;
    }
}

/// <summary>A finding as <see cref="FindingStore.LoadFindings"/> reads it, with its row id and triage.</summary>
internal sealed record ModelFinding(long Id, Finding Finding, TriageStatus Status, string? Owner)
{
    public string Key => Finding.Endpoint.Key;

    public SourceKinds Sources { get; init; }

    /// <summary>The bases Core's mapping gives the model's evidence and sources.</summary>
    public FindingBases Bases => BasisRules.For(Finding.Evidence, Sources);
}
