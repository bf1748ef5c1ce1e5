using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ShadowMcp.Core;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// /metrics of the processes outside the portal: `sensor --metrics-listen` (loopback only) and `serve`, the latter
/// scraped by a real Prometheus. The counters move because the sensor really captured packets on `lo`.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed partial class MetricsTests
{
    [GeneratedRegex(@"^shadowmcp_sensor_(packets|observations)_total\{[^}]*interface=""lo""[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex SensorCounter();

    [Test]
    public async Task Sensor_MetricsListen_ServesCountersOfARealCapture()
    {
        var port = FreePort();
        await using var live = await LiveSensorProcess.StartAsync("--flush-seconds", "1", "--metrics-listen", $"127.0.0.1:{port}");
        await live.RunMcpSessionAsync();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Dictionary<string, long> counters = [];
        while (DateTime.UtcNow < deadline)
        {
            text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            counters = SensorCounter().Matches(text).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            if (counters.GetValueOrDefault("packets") > 0 && counters.GetValueOrDefault("observations") > 0
                && text.Contains("shadowmcp_sensor_flush_duration_seconds_count", StringComparison.Ordinal)) break;
            await Task.Delay(250);
        }
        Assert.That(counters.GetValueOrDefault("packets"), Is.GreaterThan(0), () => text + "\n" + live.Stderr);
        Assert.That(counters.GetValueOrDefault("observations"), Is.GreaterThan(0), "the MCP session was observed");
        Assert.That(text, Does.Contain("shadowmcp_sensor_drops_total"));
        Assert.That(text, Does.Contain("shadowmcp_sensor_flush_duration_seconds_count"));
    }

    [Test]
    public void Sensor_MetricsListenOffLoopback_IsRefusedWithTheReason()
    {
        var result = CliProcess.Run("sensor", "-i", "lo", "--metrics-listen", "0.0.0.0:9464");
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Usage));
        Assert.That(result.Stderr, Does.Contain("--metrics-listen '0.0.0.0:9464' is not a loopback address"));
    }

    [Test]
    public async Task Serve_Metrics_ScrapedByPrometheus_ShowsLiveSensorPackets()
    {
        // The sensor captures serve's own port: Prometheus's scrapes are the traffic it counts.
        using var serve = ServeProcess.Start(["--interface", "lo"], port => new()
        {
            ["SHADOWMCP_Sensor__Filter"] = $"tcp port {port}",
            ["SHADOWMCP_Sensor__FlushSeconds"] = "1",
        });
        await using var prometheus = LocalPrometheus.Start($"127.0.0.1:{serve.Port}");
        await prometheus.WaitForTargetsUpAsync(1);
        var packets = await prometheus.WaitForValueAsync("shadowmcp_sensor_packets_total{interface=\"lo\"}", 1);
        Assert.That(packets, Is.GreaterThanOrEqualTo(1), () => serve.Output);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
