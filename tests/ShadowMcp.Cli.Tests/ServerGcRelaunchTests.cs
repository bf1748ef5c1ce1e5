using System.Net.Sockets;
using System.Text.Json;
using ShadowMcp.Cli.Tests.Fleet;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// One binary, two GCs: scan and the sensor run under the runtimeconfig's workstation GC with gen 2 compaction (a
/// bounded heap), while `portal` and `serve` restart themselves under server GC in the same process, unless the
/// operator chose a GC in the environment.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class ServerGcRelaunchTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-gc-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Portal_RestartsUnderServerGc_AsTheSameProcess()
    {
        using var portal = await StartPortalAsync(null);

        Assert.That(portal.Output, Does.Contain("portal: server GC"), portal.Output);
        // execve, not a child: the process the operator (or systemd) started is the one that now runs server GC.
        var environ = File.ReadAllText($"/proc/{portal.Pid}/environ").Split('\0');
        Assert.That(environ, Does.Contain("DOTNET_gcServer=1"));
        Assert.That(await portal.StopAsync(), Is.Zero, portal.Output);
    }

    [Test]
    public async Task Portal_RestartedUnderServerGc_DiagnosticToolsCanStillConnect()
    {
        // dotnet-counters, dotnet-trace and dotnet-dump reach a process through this socket; a portal that restarted
        // itself must still answer on it (its name is the same before and after execve).
        using var portal = await StartPortalAsync(null);
        Assert.That(portal.Output, Does.Contain("portal: server GC"), portal.Output);

        // Named by PID and start time (field 22 of /proc/PID/stat): a killed process of the same PID earlier can
        // have left its own socket beside it.
        var stat = File.ReadAllText($"/proc/{portal.Pid}/stat");
        var started = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        var socket = Path.Combine(Path.GetTempPath(), $"dotnet-diagnostic-{portal.Pid}-{started}-socket");
        Assert.That(File.Exists(socket), Is.True, socket);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Assert.That(() => client.Connect(new UnixDomainSocketEndPoint(socket)), Throws.Nothing, "the diagnostic server listens");
        Assert.That(await portal.StopAsync(), Is.Zero, portal.Output);
    }

    [Test]
    public async Task Portal_KeepsTheGcTheOperatorChose()
    {
        using var portal = await StartPortalAsync(new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" });

        Assert.That(portal.Output, Does.Contain("portal: workstation GC"), portal.Output);
        Assert.That(await portal.StopAsync(), Is.Zero, portal.Output);
    }

    [Test]
    public void ShippedRuntimeConfig_GivesWorkstationGcThatCompactsGen2()
    {
        var config = Path.ChangeExtension(RepoPaths.CliDll, ".runtimeconfig.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(config));
        var properties = doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.That(properties.GetProperty("System.GC.Server").GetBoolean(), Is.False);
        Assert.That(properties.GetProperty("System.GC.ConserveMemory").GetInt32(), Is.GreaterThan(0));
    }

    private Task<BackgroundProcess> StartPortalAsync(IReadOnlyDictionary<string, string>? environment)
    {
        var config = Path.Combine(_dir, "portal.json");
        File.WriteAllText(config, $$"""
            { "portal": { "audit": { "keyFile": "{{_dir}}/audit.key", "signingKeyFile": "{{_dir}}/checkpoint.key" } },
              "groups": {} }
            """);
        return BackgroundProcess.StartCliAsync("portal",
            ["portal", "--config", config, "--db", Path.Combine(_dir, "portal.db"), "--urls", "http://127.0.0.1:0"],
            line => line.StartsWith("portal listening on", StringComparison.Ordinal), environment);
    }
}
