using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Fleet.Bench;

/// <summary>
/// `tools/call` per second through HAProxy (deploy/haproxy/shadowmcp-portal.cfg) in front of one portal replica and
/// in front of two, both `shadowmcp portal` processes on one PostgreSQL store (audit rows, tokens), against a C# SDK
/// upstream on loopback; stateless 2026-07-28 clients. "One replica" is the same config with both server lines
/// pointing at replica a, so the balancer's own cost is the same in both runs.
/// </summary>
internal static class PortalBench
{
    public static async Task<int> RunAsync(string server, int seconds, int clients)
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-fleet-bench-").FullName;
        var processes = new List<Process>();
        try
        {
            await using var upstream = await StartUpstreamAsync();
            var db = Fleet.CreateDatabase(server, "portal_replicas");
            string Config(string replica)
            {
                var file = Path.Combine(dir, $"portal-{replica}.json");
                File.WriteAllText(file, $$"""
                    { "portal": { "replicaId": "{{replica}}", "refreshSeconds": 3600, "maxConcurrentCalls": 256,
                                  "limits": { "perCaller": 256, "queueLimit": 256 },
                                  "audit": { "keyFile": "{{dir}}/audit.key",
                                             "signingKeyFile": "{{dir}}/checkpoint.key" } },
                      "upstreams": [ { "id": "up", "url": "{{upstream.Urls.First()}}/mcp" } ],
                      "groups": { "bench": { "servers": { "up": ["*"] } } } }
                    """);
                return file;
            }
            var configA = Config("a");
            var configB = Config("b");
            var created = Fleet.RunCli("portal", "token", "create", "--group", "bench", "--config", configA,
                "--db", db);
            var token = created.Stdout.Split('\n')
                .Single(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..].Trim();

            int portA = Fleet.FreePort(), portB = Fleet.FreePort();
            Task<Process> Replica(string config, int port) => Fleet.StartCliAsync(
                ["portal", "--config", config, "--db", db, "--urls", $"http://127.0.0.1:{port}"],
                "portal listening on");
            var a = await Replica(configA, portA);
            processes.Add(a);
            var b = await Replica(configB, portB);
            processes.Add(b);

            Console.WriteLine($"{clients} clients, {seconds} s per run, HAProxy round robin, one PostgreSQL store");
            Console.WriteLine("| setup | calls/s | p50 ms | p99 ms | errors | CPU s replica a | CPU s replica b "
                + "| CPU s haproxy | CPU s clients+upstream | audit rows committed/s |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            // Unprinted: both replicas JIT-compile and fill their pools first, so the first measured run is not cold.
            await MeasureAsync(null, portA, portB, a, b, db, token, seconds, clients);
            for (var round = 0; round < 2; round++)
            {
                await MeasureAsync("1 replica behind HAProxy", portA, portA, a, b, db, token, seconds, clients);
                await MeasureAsync("2 replicas behind HAProxy", portA, portB, a, b, db, token, seconds, clients);
            }
            // Audit rows are queued by the call and written by group commit: a stopping replica writes what waits.
            var committed = Fleet.Scalar(db, "select count(*) from portal_audit");
            var drainA = await Fleet.TerminateAsync(a);
            var drainB = await Fleet.TerminateAsync(b);
            var rows = Fleet.Scalar(db, "select count(*) from portal_audit");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\naudit rows: {committed} committed when the load stopped, {rows} after SIGTERM "
                + $"(replica a stopped in {drainA.TotalSeconds:F1} s, b in {drainB.TotalSeconds:F1} s)"));
            var verify = Fleet.RunCli("audit", "verify", "--db", db, "--config", configA);
            var summary = (verify.Stdout + verify.Stderr).Split('\n')
                .Where(l => l.Contains("chain", StringComparison.Ordinal)
                    || l.Contains("checked", StringComparison.Ordinal));
            Console.WriteLine(string.Join(" ", summary));
            return 0;
        }
        finally
        {
            foreach (var p in processes) Fleet.Stop(p);
            if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null) Directory.Delete(dir, recursive: true);
            else Console.WriteLine($"kept {dir}");
        }
    }

    private static async Task MeasureAsync(string? setup, int first, int second, Process a, Process b, string db,
        string token, int seconds, int clients)
    {
        var lbPort = Fleet.FreePort();
        var psi = new ProcessStartInfo("haproxy") { RedirectStandardOutput = true, RedirectStandardError = true };
        var config = Path.Combine(Fleet.Root, "deploy", "haproxy", "shadowmcp-portal.cfg");
        foreach (var arg in new[] { "-db", "-f", config }) psi.ArgumentList.Add(arg);
        psi.Environment["PORTAL_LISTEN"] = $"127.0.0.1:{lbPort}";
        psi.Environment["PORTAL_A"] = $"127.0.0.1:{first}";
        psi.Environment["PORTAL_B"] = $"127.0.0.1:{second}";
        var haproxy = await Fleet.StartAsync(psi, ready: null);
        try
        {
            var url = $"http://127.0.0.1:{lbPort}";
            await Fleet.WaitUntilOkAsync(url + "/health");
            var callers = await Task.WhenAll(
                Enumerable.Range(0, clients).Select(_ => ConnectAsync(url + "/mcp", token)));
            await Task.WhenAll(callers.Select(c => CallAsync(c))); // warm: JIT, pools, token cache
            var (cpuA, cpuB, cpuLb) = (Fleet.CpuSeconds(a), Fleet.CpuSeconds(b), Fleet.CpuSeconds(haproxy));
            var cpuSelf = Process.GetCurrentProcess().TotalProcessorTime;
            var auditBefore = Fleet.Scalar(db, "select count(*) from portal_audit");
            var latencies = new List<double>();
            var errors = 0;
            var clock = Stopwatch.StartNew();
            var end = TimeSpan.FromSeconds(seconds);
            await Task.WhenAll(callers.Select(c => Task.Run(async () =>
            {
                var mine = new List<double>();
                while (clock.Elapsed < end)
                {
                    var t = Stopwatch.GetTimestamp();
                    try { await CallAsync(c); mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds); }
                    catch (Exception) { Interlocked.Increment(ref errors); }
                }
                lock (latencies) latencies.AddRange(mine);
            })));
            var elapsed = clock.Elapsed.TotalSeconds;
            var (dA, dB, dLb) =
                (Fleet.CpuSeconds(a) - cpuA, Fleet.CpuSeconds(b) - cpuB, Fleet.CpuSeconds(haproxy) - cpuLb);
            var dSelf = (Process.GetCurrentProcess().TotalProcessorTime - cpuSelf).TotalSeconds;
            var audited = (Fleet.Scalar(db, "select count(*) from portal_audit") - auditBefore) / elapsed;
            foreach (var c in callers) await c.DisposeAsync();
            latencies.Sort();
            if (setup is null) return;
            double Pct(double p) =>
                latencies.Count == 0 ? 0 : latencies[(int)Math.Min(latencies.Count - 1, p * latencies.Count)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {setup} | {latencies.Count / elapsed:F0} | {Pct(0.5):F1} | {Pct(0.99):F1} | {errors} "
                + $"| {dA:F1} | {dB:F1} | {dLb:F1} | {dSelf:F1} | {audited:F0} |"));
        }
        finally
        {
            Fleet.Stop(haproxy);
        }
    }

    private static async Task CallAsync(McpClient client)
    {
        var result = await client.CallToolAsync("up_echo", new Dictionary<string, object?> { ["text"] = "bench" });
        if (result.IsError == true) throw new InvalidOperationException("tool error");
    }

    private static async Task<McpClient> ConnectAsync(string url, string token)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(url),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "fleet-bench", Version = "1" },
            ProtocolVersion = "2026-07-28",
        });
    }

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
                Tools = [new Tool { Name = "echo", Description = "echo", InputSchema = schema }],
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
