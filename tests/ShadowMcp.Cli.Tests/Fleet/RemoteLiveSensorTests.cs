using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// A live sensor reporting to a centre that is down is killed with SIGKILL after it found an MCP server; then the
/// centre starts and the sensor is started again: the finding reaches the centre once, with its flows counted once.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed partial class RemoteLiveSensorTests
{
    private const string Token = "sensor-token-for-tests-0123456789"; // DevSkim: ignore DS173237

    [GeneratedRegex(@"lo: \d+ packets, ([1-9]\d*) findings")]
    private static partial Regex FlushWithFindings();

    [Test]
    public async Task SensorKilledWhileTheCentreIsDown_LosesNothing_AndDuplicatesNothing()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-remote-live-").FullName;
        try
        {
            var tokenFile = Path.Combine(dir, "token");
            await File.WriteAllTextAsync(tokenFile, Token);
            var spool = Path.Combine(dir, "spool");
            string[] Remote(string url) =>
                ["--report-to", url, "--token-file", tokenFile, "--sensor-name", "site-a", "--spool", spool, "--flush-seconds", "1"];

            int mcpPort;
            await using (var first = await LiveSensorProcess.StartAsync(Remote($"http://127.0.0.1:{ClosedPort()}")))
            {
                mcpPort = first.Port;
                await first.RunMcpSessionAsync();
                await first.Within(first.WaitForStderr(line => FlushWithFindings().IsMatch(line)), "no flush with the finding");
                first.Signal("KILL");
                await first.Within(first.Sensor.WaitForExitAsync(), "sensor did not die");
            }
            Assert.That(Directory.GetFiles(spool), Is.Not.Empty, "the killed sensor's batches wait in the spool");

            using var centre = ServeProcess.Start([], _ => new() { ["SHADOWMCP_Sensors__IngestTokens__0"] = Token });
            var url = $"http://127.0.0.1:{centre.Port}";
            await using (var second = await LiveSensorProcess.StartAsync(Remote(url)))
            {
                // The restarted sensor's first flush sends what waits; done when the spool is empty.
                var deadline = DateTime.UtcNow.AddSeconds(90); // hang guard only
                while (Directory.GetFiles(spool).Length > 0 && DateTime.UtcNow < deadline) await Task.Delay(250);
                second.Signal("TERM");
                Assert.That(await second.WaitForExitAsync(), Is.Zero, () => second.Stderr);
            }

            Assert.That(Directory.GetFiles(spool), Is.Empty, () => "not delivered: " + centre.Output);
            using var conn = new SqliteConnection($"Data Source={centre.Db};Mode=ReadOnly;Pooling=False");
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"select count(*), coalesce(sum(Flows), 0) from findings where Port = {mcpPort.ToString(CultureInfo.InvariantCulture)}";
            using var r = cmd.ExecuteReader();
            r.Read();
            Assert.That(r.GetInt64(0), Is.EqualTo(1), "the MCP server found before the kill is at the centre, once");
            Assert.That(r.GetInt64(1), Is.GreaterThan(0));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
