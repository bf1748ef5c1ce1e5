using Microsoft.Data.Sqlite;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Reports.Tests;

/// <summary>
/// A store with one of each case around 2026-W47 (Mon 2026-11-16 .. Mon 2026-11-23 UTC): a new shadow server, one
/// still active since W45, one gone since W44 whose client moved to the portal, a sanctioned and a suspected endpoint.
/// </summary>
internal sealed class SeededStore : IDisposable
{
    public const string NewServer = "10.0.0.5:8123/mcp";
    public const string ActiveServer = "10.0.0.6:9000/sse";
    public const string GoneServer = "10.0.0.10:7000/mcp";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("shadowmcp-report-").FullName;
    /// <summary>The SQLite file in <see cref="Directory"/>, or the PostgreSQL URL the store was created on.</summary>
    public string DbPath => _database ?? Path.Combine(Directory, "store.db");

    private string? _database;

    /// <param name="database">A PostgreSQL URL (LocalPostgres); null seeds a SQLite file in a temp folder.</param>
    public static SeededStore Create(string? database = null)
    {
        var s = new SeededStore { _database = database };
        using var store = FindingStore.Open(s.DbPath);
        var w45 = new DateTime(2026, 11, 3, 9, 0, 0, DateTimeKind.Utc);
        var w44 = new DateTime(2026, 10, 27, 9, 0, 0, DateTimeKind.Utc);
        var w47 = new DateTime(2026, 11, 18, 10, 0, 0, DateTimeKind.Utc);
        store.SaveFileResult("w44.pcap", "sha-44", 1, new ScanStats(), null,
            [Shadow(GoneServerEndpoint, w44, 3, "10.0.0.20", "gone-srv")], w44);
        store.SaveFileResult("w45.pcap", "sha-45", 1, new ScanStats(), null,
            [Shadow(new Endpoint("10.0.0.6", 9000, null, "/sse"), w45, 2, "10.0.0.9", "legacy", Transports.SseLegacy)], w45);
        var fresh = Shadow(new Endpoint("10.0.0.5", 8123, null, "/mcp"), w47, 5, "10.0.0.7", "everything, \"beta\"");
        fresh.Clients.Add("10.0.0.8");
        fresh.Hosts.Add("=cmd|calc");
        var sanctioned = new Finding
        {
            Endpoint = new Endpoint("10.1.0.1", 443, "portal.corp", "/mcp"), Verdict = Verdict.Sanctioned, Flows = 4,
            FirstSeen = w47, LastSeen = w47.AddMinutes(30), Transport = Transports.StreamableHttp, VerdictReason = "the portal",
        };
        sanctioned.Clients.Add("10.0.0.20");
        sanctioned.Evidence.Add(new Evidence { Rule = "mcp-initialize-request", Detail = "portal", FirstSeen = w47, LastSeen = w47 });
        var suspected = new Finding
        {
            Endpoint = new Endpoint(null, null, "mcp.example.com", null), Verdict = Verdict.Suspected, Flows = 1,
            FirstSeen = w47, LastSeen = w47, Transport = Transports.Dns,
        };
        suspected.Clients.Add("10.0.0.8");
        suspected.Evidence.Add(new Evidence { Rule = "mcp-hostname", Detail = "name=mcp.example.com", Weight = 0.2, FirstSeen = w47, LastSeen = w47 });
        store.SaveFileResult("w47.pcap", "sha-47", 1, new ScanStats(), null,
            [fresh, Shadow(new Endpoint("10.0.0.6", 9000, null, "/sse"), w47.AddDays(1), 1, "10.0.0.9", "legacy", Transports.SseLegacy), sanctioned, suspected], w47);
        return s;
    }

    private static readonly Endpoint GoneServerEndpoint = new("10.0.0.10", 7000, null, "/mcp");

    public static Finding Shadow(Endpoint endpoint, DateTime at, int flows, string client, string serverName, string transport = Transports.StreamableHttp)
    {
        var f = new Finding
        {
            Endpoint = endpoint, Verdict = Verdict.Shadow, Confidence = 0.97, Flows = flows, FirstSeen = at, LastSeen = at.AddMinutes(20),
            Server = new ServerInfo(serverName, "1.0"), Transport = transport,
        };
        f.Clients.Add(client);
        f.ProtocolVersions.Add("2025-06-18");
        f.ClientApps.Add("claude-code 2.1");
        f.Tools.Add("read_file");
        f.Evidence.Add(new Evidence
        {
            Rule = "mcp-initialize-request", Title = "MCP initialize request", Level = "high", Weight = 0.9,
            Detail = "method=initialize protocolVersion=2025-06-18", FirstSeen = at, LastSeen = at,
            Example = "POST /mcp {\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}",
        });
        return f;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
