using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Support;

/// <summary>
/// The hostile values no capture can carry, written straight to the store: a host inventory (host name, OS, agent
/// config paths, server names, URLs and packages from files on a user's machine) and a capture source name (what a
/// remote sensor or a live interface is called).
/// </summary>
internal static class HostileStoreRows
{
    public static readonly DateTime At = new(2026, 11, 18, 12, 0, 0, DateTimeKind.Utc);

    public static void Add(string db)
    {
        using var store = FindingStore.Open(db);
        var scan = new HostScanRow
        {
            HostName = "laptop" + Payloads.Script, ScanId = "hostile-1", ScannedAt = At, ReceivedAt = At, Os = Payloads.DoubleQuote,
            FilesRead = 3, Problems = 1,
        };
        for (var i = 0; i < Payloads.All.Length; i++)
        {
            var p = Payloads.All[i];
            scan.Servers.Add(new HostServerRow
            {
                Agent = p, Scope = "user", ConfigPath = "/home/u/.cursor/mcp.json" + p, Name = p, Transport = p,
                Url = i % 2 == 0 ? Payloads.JsUrl : null, Ecosystem = "npm", Package = p, Version = p, Enabled = true,
                Verdict = "shadow", VerdictReason = p, Endpoint = p, Origin = p,
            });
            scan.Secrets.Add(new HostSecretRow { Agent = p, ConfigPath = p, Server = p, Location = p, Kind = p });
        }
        store.Context.HostScans.Add(scan);
        store.Context.SaveChanges();
        // A live capture source and a remote sensor's source, as the capture-sessions panel lists them.
        var stats = new ScanStats { Packets = 10 };
        store.SaveFileResult("live:" + Payloads.SingleQuote, "hostile-live", 0, stats, null, [], At);
        store.SaveFileResult("sensor:" + Payloads.Script + "/eth0", "hostile-sensor", 0, stats, Payloads.DoubleQuote, [], At);
    }
}
