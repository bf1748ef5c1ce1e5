using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// A real `shadowmcp sensor -i lo` process and a real C# SDK MCP server on 127.0.0.1 for the live tests that stop
/// the sensor with signals: start both, talk MCP, send a signal with kill(1), read what the sensor printed.
/// </summary>
internal sealed class LiveSensorProcess : IAsyncDisposable
{
    [McpServerToolType]
    public sealed class Tools
    {
        [McpServerTool(Name = "ping"), System.ComponentModel.Description("Answers pong.")]
        public static string Ping() => "pong";
    }

    private readonly WebApplication _app;
    private readonly List<string> _stderr = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource Seen)> _waits = [];

    private LiveSensorProcess(WebApplication app, string url, string dir)
    {
        _app = app;
        Url = url;
        Directory = dir;
    }

    public string Url { get; }
    public int Port => new Uri(Url).Port;
    public string Directory { get; }
    public string Database => Path.Combine(Directory, "live.db");
    public Process Sensor { get; private set; } = null!;
    public Task<string> Stdout { get; private set; } = null!;

    public string Stderr
    {
        get { lock (_stderr) return string.Join("\n", _stderr); }
    }

    public static async Task<LiveSensorProcess> StartAsync(params string[] sensorArgs)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("shadowmcp-live-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "live-stop-server", Version = "1.2.3" })
            .WithHttpTransport(o => o.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.Stateful)
            .WithTools<Tools>();
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var live = new LiveSensorProcess(app, url, dir);
        var started = live.WaitForStderr("capturing on lo");
        live.StartSensor(sensorArgs);
        await live.Within(started, "sensor did not start");
        // No pause: the log line comes after the device is open and the filter set, so the kernel already queues
        // every matching packet for the sensor from here on.
        return live;
    }

    private void StartSensor(string[] extra)
    {
        ExternalTools.RequireIntegrationLane("dotnet");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // A test that sends other traffic than the MCP session passes its own --filter.
        var filter = extra.Contains("--filter") ? [] : new[] { "--filter", $"tcp port {Port}" };
        foreach (var a in new[] { RepoPaths.CliDll, "sensor", "-i", "lo" }.Concat(filter)
                     .Concat(["--format", "json", "--db", Database, "--verbose"]).Concat(extra))
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("SHADOWMCP_CONFIG");
        Sensor = Process.Start(psi)!;
        Stdout = Sensor.StandardOutput.ReadToEndAsync();
        Sensor.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Add(e.Data);
                foreach (var (matches, seen) in _waits)
                    if (matches(e.Data)) seen.TrySetResult();
            }
        };
        Sensor.BeginErrorReadLine();
    }

    /// <summary>A task that completes when the sensor writes a stderr line containing <paramref name="text"/>.</summary>
    public Task WaitForStderr(string text) => WaitForStderr(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>A task that completes when the sensor writes (or has written) a stderr line that matches.</summary>
    public Task WaitForStderr(Func<string, bool> matches)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderr)
        {
            if (_stderr.Any(matches)) seen.SetResult();
            else _waits.Add((matches, seen));
        }
        return seen.Task;
    }

    /// <summary>Hang guard only: the event is awaited, the timeout just keeps a broken build from blocking CI.</summary>
    public async Task Within(Task task, string what)
    {
        Assert.That(await Task.WhenAny(task, Task.Delay(60_000)), Is.SameAs(task), () => $"{what}:\n{Stderr}");
    }

    /// <summary>A real MCP session: initialize, list tools, call one.</summary>
    public async Task RunMcpSessionAsync()
    {
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri($"{Url}/mcp") }),
            new McpClientOptions { ProtocolVersion = "2025-06-18", ClientInfo = new Implementation { Name = "live-stop-client", Version = "1.0" } });
        var tools = await client.ListToolsAsync();
        Assert.That(tools.Select(t => t.Name), Does.Contain("ping"));
        await client.CallToolAsync("ping");
    }

    /// <summary>Sends a signal the way an operator or systemd does, with kill(1).</summary>
    public void Signal(string name)
    {
        ExternalTools.RequireIntegrationLane("kill");
        Assert.That(IgnoresSignal(Sensor.Id, name), Is.False, () =>
            $"the sensor ignores SIG{name}: it inherited SIG_IGN from whatever started the tests (a shell's `cmd &` "
            + "without job control, or nohup), so it could never be stopped this way; run the tests in the foreground "
            + "or through .ci/loaded-runs, which restores the default");
        using var kill = Process.Start("kill", ["-" + name, Sensor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{name} failed");
    }

    /// <summary>Whether the signal is in the process's ignored set (SigIgn in /proc/PID/status, bit N-1 for signal N).</summary>
    private static bool IgnoresSignal(int pid, string name)
    {
        var number = name switch { "INT" => 2, "QUIT" => 3, "TERM" => 15, "HUP" => 1, _ => 0 };
        if (number == 0) return false;
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (mask & (1UL << (number - 1))) != 0;
    }

    public async Task<int> WaitForExitAsync()
    {
        await Within(Sensor.WaitForExitAsync(), "sensor did not exit");
        return Sensor.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Sensor.HasExited) Sensor.Kill();
        Sensor.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
