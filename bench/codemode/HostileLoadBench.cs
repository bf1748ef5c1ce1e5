using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;

/// <summary>
/// A real portal and upstream: another client's plain tools/call latency idle and with 20 hostile executions
/// running (CPU hogs, memory bombs, Atomics.wait, a huge repeat), RSS of the portal and its workers, and what a
/// trivial execute costs over the same call made directly. Run: dotnet run -c Release --project bench/codemode -- --hostile
/// </summary>
internal static class HostileLoadBench
{
    private static readonly string[] Hostile =
    [
        "async () => { for (;;) {} }",
        "async () => { const a = []; for (;;) a.push('x'.repeat(1e6)); }",
        "async () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)",
        "async () => 'x'.repeat(2 ** 29 - 32).length",
    ];

    public static async Task RunAsync(int seconds, bool latencyOnly = false)
    {
        await using var upstream = await StartUpstreamAsync();
        var dir = Directory.CreateTempSubdirectory("shadowmcp-codemode-bench").FullName;
        var config = new PortalConfig();
        config.Portal.MaxConcurrentCalls = 256;
        config.Upstreams.Add(new UpstreamConfig { Id = "up", Url = upstream.Urls.First() + "/mcp" });
        config.Groups["bench"] = new GroupConfig { Servers = { ["up"] = ["*"] } };
        config.CodeMode.MaxConcurrentExecutions = 24;
        config.CodeMode.MaxExecutionsPerGroup = 24;
        config.CodeMode.WarmWorkers = 4;
        await using var portal = PortalHost.Build(config, Path.Combine(dir, "bench.db"), ["http://127.0.0.1:0"], LogLevel.Warning);
        await portal.StartAsync();
        var tokens = portal.Services.GetRequiredService<PortalRuntime>().Tokens;
        var url = portal.Urls.First() + "/mcp";
        await using var plain = await ConnectAsync(url, tokens.Create("bench", "plain", null).Token, codeMode: false);
        await using var coder = await ConnectAsync(url, tokens.Create("bench", "coder", null).Token, codeMode: true);
        var runner = portal.Services.GetRequiredService<CodeModeRunner>();

        var args = new Dictionary<string, object?> { ["text"] = "hi" };
        for (var i = 0; i < 50; i++) await plain.CallToolAsync("up_echo", args);
        for (var i = 0; i < 20; i++) await Execute(coder, "async () => codemode.up_echo({ text: 'hi' })");

        var direct = await Sample(seconds, async () => await plain.CallToolAsync("up_echo", args));
        var viaCode = await Sample(seconds, () => Execute(coder, "async () => codemode.up_echo({ text: 'hi' })"));
        if (latencyOnly)
        {
            PrintLatency(direct, viaCode);
            return;
        }
        var idleRss = Rss(Environment.ProcessId);
        var idleWorkers = runner.Workers.Sum(w => Rss(w.ProcessId));

        // 20 hostile executions at all times: five users with four slots each, each loop starting the next at once.
        using var stop = new CancellationTokenSource();
        var hostileClients = new List<McpClient>();
        for (var u = 0; u < 5; u++)
        {
            var token = tokens.Create("bench", $"hostile{u}", null).Token;
            for (var s = 0; s < 4; s++) hostileClients.Add(await ConnectAsync(url, token, codeMode: true));
        }
        var started = 0;
        var loops = hostileClients.Select((c, i) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref started);
                try { await Execute(c, Hostile[i % Hostile.Length], stop.Token); } catch (Exception) { /* busy, cancelled */ }
            }
        })).ToList();
        // Fast failures (Atomics, the huge repeat) restart at once; give the pool time to fill, then measure.
        for (var wait = Stopwatch.StartNew(); runner.Workers.Count(w => w.Busy) < 16 && wait.Elapsed < TimeSpan.FromSeconds(30);)
            await Task.Delay(100);
        var peakRss = 0L;
        var peakWorkers = 0L;
        var busyAtPeak = 0;
        var busySamples = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var sampler = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var sampling = Task.Run(async () =>
        {
            while (await sampler.WaitForNextTickAsync())
            {
                peakRss = Math.Max(peakRss, Rss(Environment.ProcessId));
                var workers = runner.Workers.ToList();
                var sum = workers.Sum(w => Rss(w.ProcessId));
                if (sum > peakWorkers) { peakWorkers = sum; busyAtPeak = workers.Count(w => w.Busy); }
                busySamples.Add(workers.Count(w => w.Busy));
            }
        });
        var loaded = await Sample(seconds, async () => await plain.CallToolAsync("up_echo", args));
        sampler.Dispose();
        await sampling;
        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var c in hostileClients) await c.DisposeAsync();

        Console.WriteLine();
        Console.WriteLine($"| plain tools/call (another client) | p50 ms | p99 ms | calls |");
        Console.WriteLine($"| --- | ---: | ---: | ---: |");
        Console.WriteLine($"| idle portal | {P(direct, 50):0.00} | {P(direct, 99):0.00} | {direct.Count} |");
        Console.WriteLine($"| 20 hostile executions running | {P(loaded, 50):0.00} | {P(loaded, 99):0.00} | {loaded.Count} |");
        Console.WriteLine($"| ratio (busy workers during the loaded phase: mean {busySamples.DefaultIfEmpty().Average():0.0}) | {P(loaded, 50) / P(direct, 50):0.00}x | {P(loaded, 99) / P(direct, 99):0.00}x | |");
        Console.WriteLine();
        PrintLatency(direct, viaCode);
        Console.WriteLine($"portal process RSS: idle {idleRss / 1048576} MB, peak under load {peakRss / 1048576} MB " +
            $"(+{(peakRss - idleRss) / 1048576.0 / 20:0.0} MB per running execution)");
        Console.WriteLine($"worker processes RSS: idle pool {idleWorkers / 1048576} MB, peak {peakWorkers / 1048576} MB with {busyAtPeak} busy " +
            $"({(peakWorkers - idleWorkers) / 1048576.0 / Math.Max(1, busyAtPeak):0.0} MB per running execution); {started} hostile executions started");
    }

    private static void PrintLatency(List<double> direct, List<double> viaCode) =>
        Console.WriteLine($"trivial execute (one call from code) vs the same call direct: p50 {P(viaCode, 50):0.00} vs {P(direct, 50):0.00} ms " +
            $"(+{P(viaCode, 50) - P(direct, 50):0.00}), p99 {P(viaCode, 99):0.00} vs {P(direct, 99):0.00} ms (+{P(viaCode, 99) - P(direct, 99):0.00}); " +
            $"{viaCode.Count} executions, {direct.Count} direct calls");

    private static async Task<List<double>> Sample(int seconds, Func<Task> call)
    {
        var samples = new List<double>();
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var sw = Stopwatch.StartNew();
            await call();
            samples.Add(sw.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        return samples;
    }

    private static double P(List<double> sorted, int percentile) => sorted[Math.Min(sorted.Count - 1, sorted.Count * percentile / 100)];

    private static async Task Execute(McpClient client, string code, CancellationToken ct = default)
    {
        var result = await client.CallToolAsync("portal_codemode_execute", new Dictionary<string, object?> { ["code"] = code }, cancellationToken: ct);
        _ = result;
    }

    private static long Rss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { /* the worker just exited */ }
        return 0;
    }

    private static async Task<McpClient> ConnectAsync(string url, string token, bool codeMode) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(codeMode ? url + "?codemode=search_and_execute" : url),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        }));

    private static async Task<WebApplication> StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "bench-upstream", Version = "1" })
            .WithHttpTransport()
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult
            {
                Tools = [new Tool { Name = "echo", Description = "echo", InputSchema = JsonSerializer.SerializeToElement(new { type = "object" }) }],
            }))
            .WithCallToolHandler((ctx, _) => ValueTask.FromResult(new CallToolResult
            {
                Content = [new TextContentBlock { Text = ctx.Params!.Arguments?["text"].GetString() ?? "" }],
            }));
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        return app;
    }
}
