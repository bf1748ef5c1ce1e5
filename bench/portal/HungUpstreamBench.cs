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
using ShadowMcp.Portal.Pipeline;

namespace ShadowMcp.Portal.Bench;

/// <summary>
/// `--hung`: what callers of upstream B see while upstream A is saturated by calls that never return (issue 10,
/// Major 5: one global limit once made everyone busy). B's latency is measured with A idle, then with 140 calls
/// hung on A (its slots full, the rest queued), by the same users whose calls hang and by others.
/// </summary>
internal static class HungUpstreamBench
{
    private const int HungCalls = 140;
    private const int HungUsers = 10;
    private const int Slots = 32;

    public static async Task<int> RunAsync(int seconds)
    {
        await using var a = await StartUpstreamAsync();
        await using var b = await StartUpstreamAsync();
        var dir = Path.Combine(Path.GetTempPath(), "shadowmcp-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var config = new PortalConfig();
        config.Portal.Limits = new LimitSettings { PerUpstream = Slots, PerCaller = 16, QueueLimit = 200, QueueSeconds = 600 };
        config.Upstreams.Add(new UpstreamConfig { Id = "a", Url = a.Urls.First() + "/mcp", TimeoutSeconds = 3600 });
        config.Upstreams.Add(new UpstreamConfig { Id = "b", Url = b.Urls.First() + "/mcp" });
        config.Groups["bench"] = new GroupConfig { Servers = { ["a"] = ["*"], ["b"] = ["*"] } };
        await using var portal = PortalHost.Build(config, Path.Combine(dir, "bench.db"), ["http://127.0.0.1:0"], LogLevel.Error);
        await portal.StartAsync();
        var url = portal.Urls.First() + "/mcp";
        var tokens = portal.Services.GetRequiredService<PortalRuntime>().Tokens;
        var admission = portal.Services.GetRequiredService<CallAdmission>();

        var hungUsers = new List<McpClient>();
        for (var u = 0; u < HungUsers; u++) hungUsers.Add(await ConnectAsync(url, tokens.Create("bench", $"hung{u}", null).Token));
        var others = new List<McpClient>();
        for (var u = 0; u < 6; u++) others.Add(await ConnectAsync(url, tokens.Create("bench", $"other{u}", null).Token));
        List<McpClient> callers = [.. hungUsers, .. others];

        Console.WriteLine($"b_echo through the portal, {callers.Count} clients ({HungUsers} of them with calls hung on A), {seconds}s each");
        Console.WriteLine("| upstream A | b_echo p50 ms | p99 ms | max ms | calls/s | refused |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        await LoadAsync(callers, TimeSpan.FromSeconds(2)); // warm-up
        Print("idle", await LoadAsync(callers, TimeSpan.FromSeconds(seconds)));

        using var hang = new CancellationTokenSource();
        var hung = Enumerable.Range(0, HungCalls).Select(i => Swallow(hungUsers[i % HungUsers].CallToolAsync(
            "a_hang", new Dictionary<string, object?>(), cancellationToken: hang.Token).AsTask())).ToList();
        var saturated = Stopwatch.StartNew();
        while (admission.AvailableSlots("a") > 0 || admission.Queued("a") == 0)
        {
            if (saturated.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("A never filled up");
            await Task.Delay(20);
        }
        var whileHung = await LoadAsync(callers, TimeSpan.FromSeconds(seconds));
        Print($"{HungCalls} hung: {Slots - admission.AvailableSlots("a")} in flight, {admission.Queued("a")} queued", whileHung);
        var stillHung = hung.Count(t => !t.IsCompleted);
        Console.WriteLine($"calls on A still hung at the end: {stillHung} of {HungCalls}");
        await hang.CancelAsync();
        foreach (var c in callers) await c.DisposeAsync();
        await portal.StopAsync();
        return stillHung == HungCalls ? 0 : 1;
    }

    private static void Print(string state, (List<double> Latencies, double Rate, int Refused) r) =>
        Console.WriteLine($"| {state} | {Pct(r.Latencies, 0.50):F3} | {Pct(r.Latencies, 0.99):F3} | "
            + $"{(r.Latencies.Count == 0 ? double.NaN : r.Latencies[^1]):F1} | {r.Rate:F0} | {r.Refused} |");

    private static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static async Task<(List<double> Latencies, double Rate, int Refused)> LoadAsync(List<McpClient> clients, TimeSpan length)
    {
        var args = new Dictionary<string, object?> { ["text"] = "still here" };
        var all = new List<double>[clients.Count];
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async (c, i) =>
        {
            var mine = all[i] = new List<double>(50_000);
            while (clock.Elapsed < length)
            {
                var t = Stopwatch.GetTimestamp();
                try
                {
                    await c.CallToolAsync("b_echo", args);
                    mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                catch (ModelContextProtocol.McpProtocolException) { Interlocked.Increment(ref refused); }
            }
        }));
        var merged = all.SelectMany(x => x).OrderBy(x => x).ToList();
        return (merged, merged.Count / clock.Elapsed.TotalSeconds, refused);
    }

    private static async Task Swallow(Task call)
    {
        try { await call; }
        catch (Exception) { /* cancelled at the end, or refused: only "still hung" is counted */ }
    }

    private static Task<McpClient> ConnectAsync(string url, string token) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(url),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        }));

    /// <summary>A C# SDK server with "echo" and "hang" (returns only when the call is cancelled).</summary>
    private static async Task<WebApplication> StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var schema = JsonSerializer.SerializeToElement(new { type = "object" });
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "bench-upstream", Version = "1" })
            .WithHttpTransport()
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult
            {
                Tools = [new Tool { Name = "echo", InputSchema = schema }, new Tool { Name = "hang", InputSchema = schema }],
            }))
            .WithCallToolHandler(async (ctx, ct) =>
            {
                if (ctx.Params!.Name == "hang") await Task.Delay(Timeout.Infinite, ct);
                var text = ctx.Params.Arguments?.TryGetValue("text", out var t) == true ? t.GetString() : "";
                return new CallToolResult { Content = [new TextContentBlock { Text = text ?? "" }] };
            });
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        return app;
    }
}
