using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// Drops are known: a real sensor on `lo` logs libpcap's received / dropped / interface-dropped counters at every
/// flush while it runs, reports them at exit and stores all three with the capture session; a capture setting the
/// platform refused is printed with its reason, never an empty one.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed partial class LiveSensorCountersTests
{
    [GeneratedRegex(
        @"lo: (\d+) packets, \d+ findings saved; kernel received (\d+), dropped (\d+), interface dropped (\d+)")]
    private static partial Regex IntervalLine();

    [GeneratedRegex(@"settings not applied: (.*)$")]
    private static partial Regex NotApplied();

    [Test]
    public async Task Sensor_ReportsKernelCountersEachInterval_AtExit_AndInTheStore()
    {
        await using var live = await LiveSensorProcess.StartAsync("--flush-seconds", "1", "--buffer-mb", "8");
        await live.RunMcpSessionAsync();

        // An interval line written after the session's packets were read: the counters are live, not only at exit.
        await live.Within(live.WaitForStderr(line => IntervalLine().Match(line) is { Success: true } m
            && long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 0
            && long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) > 0),
            "no interval line with kernel counters");
        live.Signal("TERM");
        Assert.That(await live.WaitForExitAsync(), Is.Zero, () => live.Stderr);

        foreach (Match warning in NotApplied().Matches(live.Stderr))
            foreach (var setting in warning.Groups[1].Value.Split("; "))
                Assert.That(setting, Does.Match(@"^\w+: \S"), "a refused setting must carry its reason");

        using var doc = JsonDocument.Parse(await live.Stdout);
        var stats = doc.RootElement.GetProperty("stats");
        long received = stats.GetProperty("captureReceived").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(received, Is.GreaterThanOrEqualTo(stats.GetProperty("packets").GetInt64()));
            Assert.That(stats.GetProperty("captureDropped").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(stats.GetProperty("captureInterfaceDropped").GetInt64(), Is.GreaterThanOrEqualTo(0));
        });

        using var conn = new SqliteConnection($"Data Source={live.Database}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText =
            "select CaptureReceived, CaptureDropped, CaptureInterfaceDropped from scanned_files where Path = 'live:lo'";
        using var row = cmd.ExecuteReader();
        Assert.That(row.Read(), Is.True, "the capture session is stored");
        Assert.That((row.GetInt64(0), row.IsDBNull(1), row.IsDBNull(2)), Is.EqualTo((received, false, false)),
            "the stored counters are the ones reported at exit");
        conn.Close();
        SqliteConnection.ClearAllPools();
    }
}
