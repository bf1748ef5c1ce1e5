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

var seconds = args.Length >= 2 && args[0] == "--seconds" && int.TryParse(args[1], out var s) ? s : 5;

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
    using (var one = rt.Store.Open()) for (var i = 0; i < 200; i++) one.ApiTokens.Where(t => t.Id == "x").ToList();
    Console.WriteLine($"query, one context: {sw0.Elapsed.TotalMilliseconds / 200:F3} ms");
    sw0.Restart();
    for (var i = 0; i < 200; i++) { using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={rt.Store.DbPath}"); c.Open(); using var cmd = c.CreateCommand(); cmd.CommandText = "select 1"; cmd.ExecuteScalar(); }
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
    return 0;
}
Console.WriteLine($"tools/call, {seconds}s per cell, loopback; portal: token auth + policy + DLP + audit row per call");
Console.WriteLine("| path | clients | p50 ms | p99 ms | calls/s |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var clients in new[] { 1, 16, 64 })
{
    var direct = await Run(upstreamUrl, null, "echo", clients, seconds);
    var viaPortal = await Run(portalUrl, token, "up_echo", clients, seconds);
    Print("direct", clients, direct);
    Print("portal", clients, viaPortal);
    Console.WriteLine($"|   added p50 | {clients} | {Pct(viaPortal.Latencies, 0.50) - Pct(direct.Latencies, 0.50):F3} | | |");
}
await portal.StopAsync();
await upstream.StopAsync();
return 0;

static void Print(string path, int clients, (List<double> Latencies, double Rate) r) =>
    Console.WriteLine($"| {path} | {clients} | {Pct(r.Latencies, 0.50):F3} | {Pct(r.Latencies, 0.99):F3} | {r.Rate:F0} |");

static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

static async Task<(List<double> Latencies, double Rate)> Run(string url, string? bearer, string tool, int clients, int seconds)
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
    foreach (var c in sessions) for (var w = 0; w < 20; w++) await c.CallToolAsync(tool, args); // warm-up
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
