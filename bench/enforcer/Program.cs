using System.Diagnostics;
using System.Globalization;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Store;

// Usage: dotnet run -c Release --project bench/enforcer -- [FINDINGS=10000] [NETNS|-] [-v] [--db TARGET]
// With -v, the time of each backend step is printed. With NETNS (an existing network namespace, e.g. from
// `ip netns add bench`), an nftables backend is included; "-" for none. With --db, the store is TARGET (an empty
// PostgreSQL database, postgres://...) instead of a fresh SQLite file.
var dbAt = Array.IndexOf(args, "--db");
var target = dbAt >= 0 && dbAt + 1 < args.Length ? args[dbAt + 1] : null;
if (dbAt >= 0) args = [.. args[..dbAt], .. args[Math.Min(dbAt + 2, args.Length)..]];
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var netns = args.Length > 1 && args[1] != "-" ? args[1] : null;
var verbose = args.Contains("-v");
var dir = Directory.CreateTempSubdirectory("smcp-enforcer-bench-").FullName;
var db = target ?? Path.Combine(dir, "store.db");
try
{
    var seen = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
    var findings = new List<Finding>(count + 1);
    for (var i = 0; i < count; i++)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint($"198.18.{i / 250}.{i % 250 + 1}", 3000 + i % 7, $"s{i}.rogue.example", "/mcp"),
            Verdict = Verdict.Shadow, Confidence = 0.95, FirstSeen = seen, LastSeen = seen, Flows = 1,
        };
        f.Hosts.Add($"s{i}.rogue.example");
        f.AddressNames.Add($"www{i}.shared.example");
        f.Evidence.Add(new Evidence { Rule = "mcp-initialize-request", Detail = "method=initialize", Level = "high", Weight = 0.9, FirstSeen = seen, LastSeen = seen });
        findings.Add(f);
    }
    var sw = Stopwatch.StartNew();
    using (var store = FindingStore.Open(db)) store.SaveFileResult("bench.pcap", "sha-bench", 1, new ScanStats(), null, findings, seen);
    Console.WriteLine($"store {count} findings: {sw.ElapsedMilliseconds} ms (setup, not measured below)");

    var nft = netns is null ? "" : $"""
          - type: nftables
            command: [ip, netns, exec, {netns}, nft]
        """;
    var policy = PolicyLoader.Parse($"""
        portal:
          url: https://portal.corp.example/
          addresses: [10.20.0.10]
        allow:
          - host: upstream.corp.example
        backends:
        {nft}
          - type: hosts
            path: {dir}/hosts
          - type: unbound
            path: {dir}/unbound.conf
            reload: []
          - type: rpz
            path: {dir}/shadowmcp.rpz
          - type: dnsmasq
            path: {dir}/dnsmasq.conf
          - type: squid
            path: {dir}/squid.conf
            reconfigure: []
        """, "bench.yaml");

    async Task Step(string what, Func<EnforcementEngine, IReadOnlyList<Finding>, Task<string>> body)
    {
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        var read = Stopwatch.StartNew();
        IReadOnlyList<Finding> loaded;
        using (var fs = FindingStore.Open(db)) loaded = fs.LoadFindings();
        read.Stop();
        using var store = EnforcerStore.Open(db);
        var engine = new EnforcementEngine(
            store, policy, BackendFactory.Create(policy, store, TimeProvider.System), TimeProvider.System, "bench")
        {
            // Each backend's write and read-back, so a slow step shows which backend it is.
            Step = verbose ? s => Console.WriteLine($"  {total.ElapsedMilliseconds,6} ms {s}") : null,
        };
        var result = await body(engine, loaded);
        // CPU time of this process as well as wall time: on a loaded shared box wall time mostly measures the load.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
        Console.WriteLine(
            $"{what}: {total.ElapsedMilliseconds} ms, cpu {cpu.TotalMilliseconds:F0} ms "
            + $"(store read {read.ElapsedMilliseconds} ms) {result}");
    }

    await Step("plan (empty backends)", async (e, f) => { var p = await e.PlanAsync(f, [], default); return $"{p.Entries.Count} entries"; });
    await Step("apply", async (e, f) => { var r = await e.ApplyAsync(f, [], default); return $"{r.Actions.Count} actions, failed={r.Failed}"; });
    await Step("plan (converged)", async (e, f) => { var p = await e.PlanAsync(f, [], default); return $"changes={p.HasChanges}"; });
    await Step("apply (no change)", async (e, f) => { var r = await e.ApplyAsync(f, [], default); return $"{r.Unchanged.Count} unchanged"; });
    await Step("rollback", async (e, _) => { var r = await e.RollbackAsync(null, default); return $"{r.Actions.Count} actions"; });
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dir, recursive: true);
}
