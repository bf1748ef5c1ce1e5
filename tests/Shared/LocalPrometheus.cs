using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ShadowMcp.Tests;

/// <summary>
/// A real Prometheus (Debian's `prometheus` package) on 127.0.0.1 with a temp config and a temp storage folder,
/// scraping the given targets every second. Waits go through Prometheus's own HTTP API with a deadline.
/// Linked into each test project that needs it (see the csproj files).
/// </summary>
internal sealed class LocalPrometheus : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly string _dir;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;

    private LocalPrometheus(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <param name="targets">host:port of each /metrics endpoint to scrape (one job per target).</param>
    public static LocalPrometheus Start(params string[] targets)
    {
        ExternalTools.Require("apt-get install prometheus", "prometheus");
        var dir = Directory.CreateTempSubdirectory("shadowmcp-prom-").FullName;
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
        for (var i = 0; i < targets.Length; i++)
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: target{i}\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['{targets[i]}']\n");
        File.WriteAllText(Path.Combine(dir, "prometheus.yml"), config.ToString());
        var port = FreePort();
        var psi = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--config.file=" + Path.Combine(dir, "prometheus.yml"),
                "--storage.tsdb.path=" + Path.Combine(dir, "data"),
                $"--web.listen-address=127.0.0.1:{port}",
            },
        };
        var process = Process.Start(psi)!;
        var prometheus = new LocalPrometheus(process, dir, port);
        process.ErrorDataReceived += (_, e) => { lock (prometheus._log) prometheus._log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (prometheus._log) prometheus._log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return prometheus;
    }

    /// <summary>Until every target reports health "up" in /api/v1/targets; fails with the last answer after the deadline.</summary>
    public async Task WaitForTargetsUpAsync(int count)
    {
        var last = "";
        await PollAsync(async () =>
        {
            last = await _http.GetStringAsync("/api/v1/targets");
            using var doc = JsonDocument.Parse(last);
            var active = doc.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToList();
            return active.Count == count && active.All(t => t.GetProperty("health").GetString() == "up");
        }, () => $"targets not up: {last}");
    }

    /// <summary>Until the instant query returns a sample whose value is at least <paramref name="atLeast"/>; returns it.</summary>
    public async Task<double> WaitForValueAsync(string query, double atLeast)
    {
        var last = "";
        double value = 0;
        await PollAsync(async () =>
        {
            last = await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
            using var doc = JsonDocument.Parse(last);
            var results = doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToList();
            if (results.Count == 0) return false;
            value = results.Sum(r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
            return value >= atLeast;
        }, () => $"query {query} never reached {atLeast}: {last}");
        return value;
    }

    private async Task PollAsync(Func<Task<bool>> done, Func<string> failure)
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) Assert.Fail($"prometheus exited with {_process.ExitCode}: {Log}");
            try
            {
                if (await done()) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        Assert.Fail($"{failure()} (prometheus log: {Log})");
    }

    private string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}
