using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// `shadowmcp sensor` on the loopback interface (libpcap, as root) while a real C# SDK client talks to a real C# SDK
/// server on 127.0.0.1: the session must be found and saved, live.
/// </summary>
[Category("Integration")]
public sealed class LiveSensorTests
{
    [McpServerToolType]
    public sealed class LiveTools
    {
        [McpServerTool(Name = "ping"), System.ComponentModel.Description("Answers pong.")]
        public static string Ping() => "pong";
    }

    [Test]
    public async Task Sensor_LoopbackMcpSession_IsDetectedLiveAndSaved()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-live-").FullName;
        var db = Path.Combine(dir, "live.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "live-test-server", Version = "3.0.1" })
            .WithHttpTransport(o => o.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.Stateful)
            .WithTools<LiveTools>();
        await using var app = builder.Build();
        app.MapMcp("/agents/mcp");
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(url).Port;

        ExternalTools.RequireIntegrationLane("dotnet");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { RepoPaths.CliDll, "sensor", "-i", "lo", "--filter", $"tcp port {port}", "--duration", "20",
                                  "--flush-seconds", "1", "--format", "json", "--db", db, "--verbose" })
            psi.ArgumentList.Add(a);
        using var sensor = Process.Start(psi)!;
        var stdout = sensor.StandardOutput.ReadToEndAsync();
        var stderrLines = new List<string>();
        var capturing = new TaskCompletionSource();
        sensor.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderrLines) stderrLines.Add(e.Data);
            if (e.Data.Contains("capturing on lo")) capturing.TrySetResult();
        };
        sensor.BeginErrorReadLine();
        Assert.That(await Task.WhenAny(capturing.Task, Task.Delay(120_000)), Is.SameAs(capturing.Task), () => "sensor did not start: " + string.Join("\n", stderrLines));
        // No pause: the log line comes after the device is open and the filter set, so the kernel already queues
        // every matching packet for the sensor from here on.

        await using (var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri($"{url}/agents/mcp") }),
                         new McpClientOptions { ProtocolVersion = "2025-06-18", ClientInfo = new Implementation { Name = "live-test-client", Version = "1.0" } }))
        {
            var tools = await client.ListToolsAsync();
            Assert.That(tools.Select(t => t.Name), Does.Contain("ping"));
            await client.CallToolAsync("ping");
        }

        Assert.That(sensor.WaitForExit(60_000), Is.True, "sensor did not stop after --duration");
        Assert.That(sensor.ExitCode, Is.Zero, () => string.Join("\n", stderrLines));
        using var doc = JsonDocument.Parse(await stdout);
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("endpoint").GetProperty("port").GetInt32() == port);
        Assert.Multiple(() =>
        {
            Assert.That(finding.GetProperty("endpoint").GetProperty("path").GetString(), Is.EqualTo("/agents/mcp"));
            Assert.That(finding.GetProperty("verdict").GetString(), Is.EqualTo("shadow"));
            Assert.That(finding.GetProperty("server").GetProperty("name").GetString(), Is.EqualTo("live-test-server"));
            Assert.That(finding.GetProperty("protocolVersions").EnumerateArray().Select(v => v.GetString()), Does.Contain("2025-06-18"));
        });

        using var conn = new SqliteConnection($"Data Source={db}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "select count(*) from findings where Port = $p and Verdict = 'shadow'";
        cmd.Parameters.AddWithValue("$p", port);
        Assert.That((long)cmd.ExecuteScalar()!, Is.EqualTo(1), "the live session's finding must be in the store");
        conn.Close();
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
