using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// Records written into a real SQLite store through the product's own writers: findings by
/// <see cref="FindingStore.SaveFileResult"/>, enforcer actions by <see cref="EnforcerStore.AddAction"/>, portal audit
/// rows by the hash-chaining <see cref="AuditLog"/>.
/// </summary>
internal static class SiemSeed
{
    public static readonly DateTime Day = new(2026, 11, 18, 10, 0, 0, DateTimeKind.Utc);

    public static Finding Shadow(int i, DateTime lastSeen, Verdict verdict = Verdict.Shadow)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint($"10.0.7.{i}", 8000 + i, null, "/mcp"), Verdict = verdict, Confidence = 0.9, Flows = 2,
            FirstSeen = Day, LastSeen = lastSeen, Server = new ServerInfo($"server-{i}", "1.0"), Transport = Transports.StreamableHttp,
        };
        f.Clients.Add("10.0.0.8");
        f.Evidence.Add(new Evidence
        {
            Rule = "mcp-initialize-request", Title = "MCP initialize request", Level = "high", Weight = 0.9, Count = 1,
            Detail = "method=initialize", FirstSeen = Day, LastSeen = lastSeen,
        });
        return f;
    }

    /// <summary>Saves <paramref name="findings"/> as what the capture <paramref name="file"/> produced.</summary>
    public static void Scan(string db, string file, DateTime scannedAt, params Finding[] findings)
    {
        using var store = FindingStore.Open(db);
        store.SaveFileResult(file, "sha-" + file, 100, new ScanStats(), null, findings, scannedAt);
    }

    public static ActionRow Action(string db, string command, string result, int added = 1)
    {
        using var store = EnforcerStore.Open(db);
        return store.AddAction(new ActionRow
        {
            RunId = "run-" + Guid.NewGuid().ToString("N")[..8], At = Day.AddMinutes(5), Actor = "admin", Command = command, Backend = "nft",
            Result = result, AddedJson = "[" + string.Join(",", Enumerable.Range(1, added).Select(i => $"{{\"kind\":\"Address\",\"value\":\"10.0.7.{i}\"}}")) + "]",
        });
    }

    public static void CompleteAction(string db, long id, string result, string? error = null)
    {
        using var store = EnforcerStore.Open(db);
        var row = store.Context.Actions.Single(a => a.Id == id);
        row.Result = result;
        row.Error = error;
        store.Context.SaveChanges();
    }

    public static async Task AuditAsync(string db, int count, string outcome = "ok")
    {
        var store = new PortalStore(db);
        await using var log = new AuditLog(store, TimeProvider.System);
        for (var i = 0; i < count; i++)
            await log.AppendAsync(new AuditRecord("alice", "dev", "claude-code", "2.1", "github", "tools/call", "create_issue", 42, "abc",
                "{\"title\":\"secret-ish\"}", 12.5, outcome, "group 'dev' allows github", null));
    }
}
