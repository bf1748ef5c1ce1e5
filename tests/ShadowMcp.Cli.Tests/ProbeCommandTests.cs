using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// `shadowmcp probe`: a real C# SDK MCP server and a plain REST service (with its own `/mcp` path) on loopback.
/// Only the MCP server may be reported, and nothing outside the allow list may be contacted.
/// </summary>
public sealed class ProbeCommandTests
{
    private WebApplication? _mcp, _rest;
    private int _mcpPort, _restPort;

    [OneTimeSetUp]
    public async Task StartServers()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.SetMinimumLevel(LogLevel.Warning);
        b.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "probe-target", Version = "0.4.2" })
            .WithHttpTransport().WithTools<LiveSensorTests.LiveTools>();
        _mcp = b.Build();
        _mcp.MapMcp("/mcp");
        await _mcp.StartAsync();
        _mcpPort = Port(_mcp);

        var r = WebApplication.CreateSlimBuilder();
        r.WebHost.UseUrls("http://127.0.0.1:0");
        r.Logging.SetMinimumLevel(LogLevel.Warning);
        _rest = r.Build();
        _rest.MapGet("/mcp", () => Results.Json(new[] { new { id = 1, name = "Master Control Program" } }));
        _rest.MapPost("/mcp", () => Results.Json(new { ok = true, created = 7 }));
        await _rest.StartAsync();
        _restPort = Port(_rest);
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        if (_mcp is not null) await _mcp.DisposeAsync();
        if (_rest is not null) await _rest.DisposeAsync();
    }

    private static int Port(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    [Test]
    public void Probe_AllowListedLoopback_FindsTheMcpServerAndNotTheRestLookAlike()
    {
        var r = CliProcess.Run("probe", "127.0.0.1", "--allow", "127.0.0.1/32", "--ports", $"{_mcpPort},{_restPort}",
            "--format", "json", "--no-store", "--timeout-ms", "5000");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var findings = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("findings").EnumerateArray().ToList();
        var mcp = findings.Single(f => f.GetProperty("endpoint").GetProperty("port").GetInt32() == _mcpPort);
        Assert.Multiple(() =>
        {
            Assert.That(mcp.GetProperty("endpoint").GetProperty("path").GetString(), Is.EqualTo("/mcp"));
            Assert.That(mcp.GetProperty("verdict").GetString(), Is.EqualTo("shadow"));
            Assert.That(mcp.GetProperty("server").GetProperty("name").GetString(), Is.EqualTo("probe-target"));
            Assert.That(findings.Where(f => f.GetProperty("endpoint").GetProperty("port").GetInt32() == _restPort), Is.Empty,
                "a REST service that happens to have /mcp is not an MCP server");
        });
    }

    [TestCase("10.1.2.3")]
    [TestCase("127.0.0.2")]
    [TestCase("127.0.0.0/30")]
    public void Probe_TargetOutsideAllowList_IsRefusedBeforeAnythingIsSent(string target)
    {
        var r = CliProcess.Run("probe", target, "--allow", "127.0.0.1/32", "--ports", $"{_mcpPort}", "--no-store");

        Assert.That(r.ExitCode, Is.EqualTo(64));
        Assert.That(r.Stderr, Does.Contain("not in the probe allow list").And.Contain("nothing was sent"));
    }

    [Test]
    public void Probe_WithoutAllowList_IsRefused()
    {
        var r = CliProcess.Run("probe", "127.0.0.1", "--ports", $"{_mcpPort}", "--no-store");

        Assert.That(r.ExitCode, Is.EqualTo(64));
        Assert.That(r.Stderr, Does.Contain("--allow is required"));
    }
}
