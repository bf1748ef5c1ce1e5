using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;

var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).FirstOrDefault(3);
if (args.Contains("--audit"))
{
    var rows = args.SkipWhile(a => a != "--rows").Skip(1).Select(int.Parse).FirstOrDefault(20_000);
    return await ShadowMcp.Portal.Bench.AuditWriteBench.RunAsync(rows, args.SkipWhile(a => a != "--db").Skip(1).FirstOrDefault());
}
if (args.Contains("--hung")) return await ShadowMcp.Portal.Bench.HungUpstreamBench.RunAsync(seconds);

// Upstream: a C# SDK server with one echo tool.
var ub = WebApplication.CreateSlimBuilder();
ub.Logging.ClearProviders();
ub.WebHost.UseUrls("http://127.0.0.1:0");
ub.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "bench-upstream", Version = "1" })
    .WithHttpTransport()
    .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult
    {
        Tools = [new Tool { Name = "echo", Description = "echo", InputSchema = JsonSerializer.SerializeToElement(new { type = "object" }) }],
    }))
    .WithCallToolHandler((ctx, _) => ValueTask.FromResult(new CallToolResult
    {
        Content = [new TextContentBlock { Text = ctx.Params!.Arguments?["text"].GetString() ?? "" }],
    }));
await using var upstream = ub.Build();
upstream.MapMcp("/mcp");
await upstream.StartAsync();
var upstreamUrl = upstream.Urls.First() + "/mcp";

// Portal in front of it.
var dir = Path.Combine(Path.GetTempPath(), "shadowmcp-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dir);
var config = new PortalConfig();
config.Portal.MaxConcurrentCalls = 256;
config.Upstreams.Add(new UpstreamConfig { Id = "up", Url = upstreamUrl });
config.Groups["bench"] = new GroupConfig { Servers = { ["up"] = ["*"] } };
await using var portal = PortalHost.Build(config, Path.Combine(dir, "bench.db"), ["http://127.0.0.1:0"], LogLevel.Warning);
await portal.StartAsync();
var token = portal.Services.GetRequiredService<PortalRuntime>().Tokens.Create("bench", "bench", null).Token;
var portalUrl = portal.Urls.First() + "/mcp";

if (args.Contains("--micro"))
{
    var rt = portal.Services.GetRequiredService<PortalRuntime>();
    var audit = portal.Services.GetRequiredService<ShadowMcp.Portal.Audit.AuditLog>();
    var sw0 = Stopwatch.StartNew();
    for (var i = 0; i < 200; i++) { using var db = rt.Store.Open(); }
    Console.WriteLine($"context create: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    sw0.Restart();
    for (var i = 0; i < 200; i++) { using var db = rt.Store.Open(); db.ApiTokens.Find("x"); }
    Console.WriteLine($"find: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    sw0.Restart();
    using (var one = rt.Store.Open()) for (var i = 0; i < 200; i++) _ = one.ApiTokens.Where(t => t.Id == "x").ToList();
    Console.WriteLine($"query, one context: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    sw0.Restart();
    for (var i = 0; i < 200; i++) { using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={rt.Store.Target.Location}"); c.Open(); using var cmd = c.CreateCommand(); cmd.CommandText = "select 1"; cmd.ExecuteScalar(); }
    Console.WriteLine($"raw open+select: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    sw0.Restart();
    for (var i = 0; i < 200; i++) rt.Tokens.Check(token);
    Console.WriteLine($"token check: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    sw0.Restart();
    for (var i = 0; i < 200; i++) await audit.AppendAsync(new ShadowMcp.Portal.Audit.AuditRecord("u", "g", null, null, null, "m", null, 0, null, null, 0, "ok", "d", null));
    Console.WriteLine($"audit append: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    var gw = portal.Services.GetRequiredService<ShadowMcp.Portal.Gateway.PortalGateway>();
    var caller = new ShadowMcp.Portal.Policy.PortalCaller("u", ["bench"], null, null);
    var a = new Dictionary<string, JsonElement> { ["text"] = JsonSerializer.SerializeToElement("hi") };
    await gw.CallToolAsync(caller, "up_echo", a, default);
    sw0.Restart();
    for (var i = 0; i < 200; i++) await gw.CallToolAsync(caller, "up_echo", a, default);
    Console.WriteLine($"gateway call: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    var conn = portal.Services.GetRequiredService<ShadowMcp.Portal.Upstreams.UpstreamRegistry>().Find("up")!;
    sw0.Restart();
    for (var i = 0; i < 200; i++) await conn.CallToolAsync("echo", a, default);
    Console.WriteLine($"upstream connection call: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    var direct = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(upstreamUrl), TransportMode = HttpTransportMode.StreamableHttp }));
    for (var i = 0; i < 20; i++) await direct.CallToolAsync(new CallToolRequestParams { Name = "echo", Arguments = a });
    sw0.Restart();
    for (var i = 0; i < 200; i++) await direct.CallToolAsync(new CallToolRequestParams { Name = "echo", Arguments = a });
    Console.WriteLine($"direct client call: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    for (var round = 0; round < 3; round++)
    {
        sw0.Restart();
        for (var i = 0; i < 1000; i++) await conn.CallToolAsync("echo", a, default);
        var tConn = sw0.Elapsed.TotalMilliseconds / 1000;
        sw0.Restart();
        for (var i = 0; i < 1000; i++) await direct.CallToolAsync(new CallToolRequestParams { Name = "echo", Arguments = a });
        var tDirect = sw0.Elapsed.TotalMilliseconds / 1000;
        sw0.Restart();
        for (var i = 0; i < 1000; i++) await gw.CallToolAsync(caller, "up_echo", a, default);
        var tGw = sw0.Elapsed.TotalMilliseconds / 1000;
        Console.WriteLine($"round {round}: connection {tConn:F3}  direct {tDirect:F3}  gateway {tGw:F3}");
        var b0 = GC.GetTotalAllocatedBytes(true);
        for (var i = 0; i < 1000; i++) await direct.CallToolAsync(new CallToolRequestParams { Name = "echo", Arguments = a });
        var b1 = GC.GetTotalAllocatedBytes(true);
        for (var i = 0; i < 1000; i++) await conn.CallToolAsync("echo", a, default);
        var b2 = GC.GetTotalAllocatedBytes(true);
        for (var i = 0; i < 1000; i++) await gw.CallToolAsync(caller, "up_echo", a, default);
        var b3 = GC.GetTotalAllocatedBytes(true);
        Console.WriteLine($"   alloc/call: direct {(b1 - b0) / 1000} B  connection {(b2 - b1) / 1000} B  gateway {(b3 - b2) / 1000} B");
    }
    var dlp = new ShadowMcp.Portal.Config.DlpSettings();
    var res = new CallToolResult { Content = [new TextContentBlock { Text = "hello portal" }] };
    sw0.Restart();
    for (var i = 0; i < 2000; i++) { ShadowMcp.Portal.Dlp.DlpGuard.Outbound(dlp, a); ShadowMcp.Portal.Dlp.DlpGuard.Inbound(dlp, res); }
    Console.WriteLine($"dlp both ways: {sw0.Elapsed.TotalMilliseconds / 2000:F3} ms");
    var res2 = await conn.CallToolAsync("echo", a, default);
    var c0 = GC.GetTotalAllocatedBytes(true);
    for (var i = 0; i < 1000; i++) ShadowMcp.Portal.Dlp.DlpGuard.Outbound(dlp, a);
    var c1 = GC.GetTotalAllocatedBytes(true);
    for (var i = 0; i < 1000; i++) ShadowMcp.Portal.Dlp.DlpGuard.Inbound(dlp, res2);
    var c2 = GC.GetTotalAllocatedBytes(true);
    for (var i = 0; i < 1000; i++) await audit.AppendAsync(new ShadowMcp.Portal.Audit.AuditRecord("u", "g", null, null, null, "m", null, 0, null, null, 0, "ok", "d", null));
    var c3 = GC.GetTotalAllocatedBytes(true);
    Console.WriteLine($"alloc: dlp out {(c1 - c0) / 1000} B, dlp in {(c2 - c1) / 1000} B, audit append (batch of 1) {(c3 - c2) / 1000} B");
    return 0;
}
if (args.Contains("--portal-only"))
{
    // One client through the portal for the whole time: a steady load for a profiler (dotnet-trace).
    var n = args.SkipWhile(a => a != "--clients").Skip(1).Select(int.Parse).FirstOrDefault(1);
    var only = await Run(portalUrl, token, "up_echo", n, seconds);
    Print("portal", n, only);
    Console.WriteLine($"GCs: gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}; allocated {GC.GetTotalAllocatedBytes() / 1e6:F0} MB; server GC {System.Runtime.GCSettings.IsServerGC}");
    return 0;
}
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(3);
Console.WriteLine($"tools/call, loopback, {rounds} interleaved rounds of {seconds}s per path; portal: token auth + policy + DLP + audit row per call");
Console.WriteLine($"server GC: {System.Runtime.GCSettings.IsServerGC}; medians over rounds");
Console.WriteLine("| clients | direct p50 ms | portal p50 ms | added p50 ms | direct p99 ms | portal p99 ms | direct calls/s | portal calls/s |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var clients in new[] { 1, 16, 64 })
{
    // Direct and portal cells alternate, so a slow patch on a shared machine hits both; the median drops outliers.
    var direct = new List<(double P50, double P99, double Rate)>();
    var viaPortal = new List<(double P50, double P99, double Rate)>();
    for (var r = 0; r < rounds; r++)
    {
        direct.Add(Summary(await Run(upstreamUrl, null, "echo", clients, seconds, warmUp: r == 0)));
        viaPortal.Add(Summary(await Run(portalUrl, token, "up_echo", clients, seconds, warmUp: r == 0)));
    }
    var added = Median(direct.Zip(viaPortal, (d, p) => p.P50 - d.P50));
    Console.WriteLine($"| {clients} | {Median(direct.Select(x => x.P50)):F3} | {Median(viaPortal.Select(x => x.P50)):F3} | {added:F3} | "
        + $"{Median(direct.Select(x => x.P99)):F2} | {Median(viaPortal.Select(x => x.P99)):F2} | {Median(direct.Select(x => x.Rate)):F0} | {Median(viaPortal.Select(x => x.Rate)):F0} |");
}
await portal.StopAsync();
await upstream.StopAsync();
return 0;

static (double P50, double P99, double Rate) Summary((List<double> Latencies, double Rate) r) =>
    (Pct(r.Latencies, 0.50), Pct(r.Latencies, 0.99), r.Rate);

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Print(string path, int clients, (List<double> Latencies, double Rate) r) =>
    Console.WriteLine($"| {path} | {clients} | {Pct(r.Latencies, 0.50):F3} | {Pct(r.Latencies, 0.99):F3} | {r.Rate:F0} |");

static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

static async Task<(List<double> Latencies, double Rate)> Run(string url, string? bearer, string tool, int clients, int seconds, bool warmUp = true)
{
    var sessions = new List<McpClient>();
    for (var i = 0; i < clients; i++)
    {
        var headers = bearer is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearer}" };
        sessions.Add(await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(url), TransportMode = HttpTransportMode.StreamableHttp, AdditionalHeaders = headers,
        })));
    }
    var args = new Dictionary<string, object?> { ["text"] = "hello portal" };
    // Warm-up long enough for tiered JIT and PGO to finish on both sides (a few hundred calls is not).
    var warm = Stopwatch.StartNew();
    var warmFor = TimeSpan.FromSeconds(warmUp ? 2 : 0.2);
    await Task.WhenAll(sessions.Select(async c => { while (warm.Elapsed < warmFor) await c.CallToolAsync(tool, args); }));
    var all = new List<double>[clients];
    var total = Stopwatch.StartNew();
    var deadline = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(sessions.Select(async (c, i) =>
    {
        var mine = all[i] = new List<double>(100_000);
        while (total.Elapsed < deadline)
        {
            var t = Stopwatch.GetTimestamp();
            await c.CallToolAsync(tool, args);
            mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
    }));
    var elapsed = total.Elapsed.TotalSeconds;
    foreach (var c in sessions) await c.DisposeAsync();
    var merged = all.SelectMany(x => x).OrderBy(x => x).ToList();
    return (merged, merged.Count / elapsed);
}
