using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// A real sensor on `lo`, stopped the way operators and systemd stop it: with a signal sent by kill(1). The first
/// signal must flush the findings, the capture session and its stats, print the summary and exit 0, even with a
/// flush interval far longer than the test; a hostile request before the session must not crash the sensor.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class LiveSensorStopTests
{
    /// <summary>The request that used to kill the sensor: a lone surrogate escape in a JSON member name.</summary>
    private static async Task SendHostileRequestAsync(int port, string body)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
        // Read the answer to the end so the whole exchange is on the wire before the MCP session starts.
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer) > 0) { }
    }

    private static long Scalar(string db, string sql, int port)
    {
        using var conn = new SqliteConnection($"Data Source={db}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$p", port);
        return (long)cmd.ExecuteScalar()!;
    }

    [TestCase("TERM")]
    [TestCase("INT")]
    public async Task Signal_AfterHostileRequestAndMcpSession_FlushesEverythingAndExitsZero(string signal)
    {
        await using var live = await LiveSensorProcess.StartAsync("--flush-seconds", "3600");
        await SendHostileRequestAsync(live.Port, """{"\ud800":0}""");
        await SendHostileRequestAsync(live.Port, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"\udc00":{"\ud800":1}}}""");
        await live.RunMcpSessionAsync();

        live.Signal(signal);
        int exitCode = await live.WaitForExitAsync();

        Assert.That(exitCode, Is.Zero, () => live.Stderr);
        Assert.That(live.Stderr, Does.Not.Contain("Unhandled exception"));
        using var doc = JsonDocument.Parse(await live.Stdout);
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("endpoint").GetProperty("port").GetInt32() == live.Port);
        Assert.That(finding.GetProperty("server").GetProperty("name").GetString(), Is.EqualTo("live-stop-server"));
        var stats = doc.RootElement.GetProperty("stats");
        Assert.That(stats.GetProperty("analyzerFaults").GetInt64(), Is.Zero);
        Assert.That(stats.GetProperty("captureReceived").GetInt64(), Is.GreaterThanOrEqualTo(stats.GetProperty("packets").GetInt64()),
            "libpcap's counters are reported at exit");
        Assert.That(stats.GetProperty("captureDropped").ValueKind, Is.EqualTo(JsonValueKind.Number));
        Assert.That(Scalar(live.Database, "select count(*) from findings where Port = $p and Verdict = 'shadow'", live.Port),
            Is.EqualTo(1), "the finding must be in the store although the flush interval never came");
        Assert.That(Scalar(live.Database, "select count(*) from scanned_files where Path = 'live:lo' and Packets > 0 and CaptureReceived >= Packets "
            + "and CaptureDropped is not null and $p > 0", live.Port),
            Is.EqualTo(1), "the capture session and its stats are stored");
    }

    [Test]
    public async Task SecondSignal_WhileTheFlushIsStuck_ForcesExit()
    {
        await using var live = await LiveSensorProcess.StartAsync("--flush-seconds", "3600");
        await live.RunMcpSessionAsync();
        // Hold the store so the flush at stop cannot finish (SQLite waits for the lock), as a hung disk would.
        using var blocker = new SqliteConnection($"Data Source={live.Database}");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "begin exclusive";
            begin.ExecuteNonQuery();
        }

        var stopping = live.WaitForStderr("stopping; flushing findings");
        live.Signal("TERM");
        await live.Within(stopping, "the first signal was not acknowledged");
        live.Signal("TERM");
        int exitCode = await live.WaitForExitAsync();

        Assert.That(exitCode, Is.EqualTo(128 + 15), () => live.Stderr);
        Assert.That(live.Stderr, Does.Contain("second SIGTERM"));
    }
}
