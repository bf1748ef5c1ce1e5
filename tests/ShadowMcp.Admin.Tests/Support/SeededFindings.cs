using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Support;

/// <summary>
/// Findings saved through Core's <see cref="FindingStore.SaveFileResult"/> into a real SQLite file, around 2026-W47:
/// two shadow servers (one named with an XSS payload, as hostile traffic could make it), a sanctioned portal,
/// a suspected DNS name, and older shadow servers from W44 for the date filter and paging. Their bases: the W47 shadow
/// servers and the portal were seen in content, the DNS name by its name only, and the first W44 server
/// (<see cref="ShapeKey"/>) by its encrypted flows' shape only.
/// </summary>
internal static class SeededFindings
{
    public const string EverythingKey = "10.0.0.5:8123/mcp";
    public const string XssServerName = "<script>alert(1)</script>";
    public const string XssPath = "/x\"><img src=x onerror=alert(2)>";
    public const string XssKey = "10.0.0.66:8080" + XssPath;
    public const string PortalKey = "10.1.0.1:443/mcp";
    public const string SuspectedKey = "mcp.example.com";
    public const int OldShadowCount = 4;
    public const string ShapeKey = "10.0.9.1:7000/mcp";
    public const int Total = 4 + OldShadowCount;

    public static readonly DateTime W47 = new(2026, 11, 18, 10, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime W44 = new(2026, 10, 27, 9, 0, 0, DateTimeKind.Utc);

    public static void Seed(string dbPath)
    {
        using var store = FindingStore.Open(dbPath);
        var old = Enumerable.Range(1, OldShadowCount)
            .Select(i => Shadow(new Endpoint($"10.0.9.{i}", 7000, null, "/mcp"), W44.AddHours(i), $"legacy-{i}", "10.0.0.20"))
            .ToList();
        // Several clients with MCP-shaped encrypted flows: shadow on shape alone, a lead to confirm.
        old[0].Evidence.Clear();
        old[0].Evidence.Add(new Evidence { Rule = "mcp-shape-session", Detail = "score=0.93 clients=several", Weight = 0.4, FirstSeen = W44, LastSeen = W44 });
        old[0].Evidence.Add(new Evidence { Rule = "mcp-shape-several-clients", Detail = "score=0.93 clients=several", Weight = 0.5, FirstSeen = W44, LastSeen = W44 });
        store.SaveFileResult("w44.pcap", "sha-w44", 100, new ScanStats(), null, old, W44);

        var everything = Shadow(new Endpoint("10.0.0.5", 8123, null, "/mcp"), W47, "everything", "10.0.0.7");
        everything.Hosts.Add("mcp.dev.corp");
        everything.Clients.Add("10.0.0.8");
        everything.Tools.Add("write_file");
        everything.Evidence.Add(new Evidence
        {
            Rule = "mcp-session-header", Title = "Mcp-Session-Id header", Level = "medium", Weight = 0.5, Count = 7,
            Detail = "header=Mcp-Session-Id", FirstSeen = W47, LastSeen = W47.AddMinutes(15), Example = "Mcp-Session-Id: 4f1c",
        });
        var xss = Shadow(new Endpoint("10.0.0.66", 8080, null, XssPath), W47.AddHours(2), XssServerName, "10.0.0.9");
        var portal = new Finding
        {
            Endpoint = new Endpoint("10.1.0.1", 443, "portal.corp", "/mcp"), Verdict = Verdict.Sanctioned, Flows = 4,
            FirstSeen = W47, LastSeen = W47.AddMinutes(30), Transport = Transports.StreamableHttp, VerdictReason = "the portal",
        };
        portal.Clients.Add("10.0.0.20");
        portal.Evidence.Add(new Evidence { Rule = "mcp-initialize-request", Detail = "portal", FirstSeen = W47, LastSeen = W47 });
        var suspected = new Finding
        {
            Endpoint = new Endpoint(null, null, "mcp.example.com", null), Verdict = Verdict.Suspected, Flows = 1,
            FirstSeen = W47, LastSeen = W47, Transport = Transports.Dns,
        };
        suspected.Clients.Add("10.0.0.8");
        suspected.Evidence.Add(new Evidence { Rule = "mcp-host-pattern", Detail = "name=mcp.example.com", Weight = 0.2, FirstSeen = W47, LastSeen = W47 });
        store.SaveFileResult("w47.pcap", "sha-w47", 200, new ScanStats(), null, [everything, xss, portal, suspected], W47);
    }

    private static Finding Shadow(Endpoint endpoint, DateTime at, string serverName, string client)
    {
        var f = new Finding
        {
            Endpoint = endpoint, Verdict = Verdict.Shadow, Confidence = 0.97, Flows = 5, FirstSeen = at, LastSeen = at.AddMinutes(20),
            Server = new ServerInfo(serverName, "1.0"), Transport = Transports.StreamableHttp, VerdictReason = "not on the sanctioned list",
        };
        f.Clients.Add(client);
        f.ProtocolVersions.Add("2025-06-18");
        f.ClientApps.Add("claude-code 2.1");
        f.Tools.Add("read_file");
        f.Evidence.Add(new Evidence
        {
            Rule = "mcp-initialize-request", Title = "MCP initialize request", Level = "high", Weight = 0.9, Count = 3,
            Detail = "method=initialize protocolVersion=2025-06-18", FirstSeen = at, LastSeen = at.AddMinutes(20),
            Example = "POST /mcp {\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}",
        });
        return f;
    }
}
