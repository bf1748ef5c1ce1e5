using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Classifier;
using ShadowMcp.Core.Findings;
using ShadowMcp.Hosts.Listeners;
using ShadowMcp.Scanner.Active;

namespace ShadowMcp.Hosts.Tests;

/// <summary>
/// --listeners: a real C# SDK MCP server on 127.0.0.1 is found among the loopback listeners and answers the
/// spec-correct probe; a plain HTTP service beside it does not; nothing off loopback is ever probed.
/// </summary>
[Category("Integration")]
public sealed class ListenerProbeTests
{
    private WebApplication? _mcp, _plain;

    [McpServerToolType]
    public sealed class Tools
    {
        [McpServerTool, System.ComponentModel.Description("Echoes the text")]
        public static string Echo(string text) => text;
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.SetMinimumLevel(LogLevel.Warning);
        b.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "loopback-dev-server", Version = "0.1.0" })
            .WithHttpTransport().WithTools<Tools>();
        _mcp = b.Build();
        _mcp.MapMcp("/mcp");
        await _mcp.StartAsync();

        var p = WebApplication.CreateSlimBuilder();
        p.WebHost.UseUrls("http://127.0.0.1:0");
        p.Logging.SetMinimumLevel(LogLevel.Warning);
        _plain = p.Build();
        _plain.MapFallback(() => Results.Json(new { status = "ok" }));
        await _plain.StartAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_mcp is not null)
        {
            await _mcp.StopAsync();
            await _mcp.DisposeAsync();
        }
        if (_plain is not null)
        {
            await _plain.StopAsync();
            await _plain.DisposeAsync();
        }
    }

    private static int Port(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    [Test]
    public async Task LoopbackMcpServer_IsFoundAndConfirmed_PlainServiceIsNot()
    {
        int mcp = Port(_mcp!), plain = Port(_plain!);
        var listeners = LoopbackListeners.Read();
        Assert.That(listeners.Select(l => l.Port), Does.Contain(mcp).And.Contain(plain));
        Assert.That(listeners.All(l => IPAddress.IsLoopback(l.Address)), Is.True, "only loopback listeners are listed");

        var classifier = McpClassifier.Create(RepoPaths.Rules);
        // Only this test's two servers: other services on a shared machine are not this test's to probe.
        var ours = listeners.Where(l => l.Port == mcp || l.Port == plain).ToList();
        // A generous per-request timeout: a hang guard on a loaded machine, not a measurement.
        var options = new ProbeOptions { Timeout = TimeSpan.FromSeconds(30) };
        var findings = await new ListenerProbe(classifier, options).ProbeAsync(ours, CancellationToken.None);

        var found = findings.Where(f => f.Verdict != Verdict.Suspected).ToList();
        Assert.That(found.Select(f => f.Endpoint.Port), Is.EquivalentTo(new int?[] { mcp }), () => string.Join("; ", findings.Select(f => f.Endpoint)));
        Assert.That(found[0].Server?.Name, Is.EqualTo("loopback-dev-server"));
    }

    [Test]
    public void ListenerOffLoopback_IsRefusedBeforeAnythingIsSent()
    {
        var classifier = McpClassifier.Create(RepoPaths.Rules);
        Assert.That(async () => await new ListenerProbe(classifier, new ProbeOptions())
                .ProbeAsync([new IPEndPoint(IPAddress.Parse("192.0.2.10"), 80)], CancellationToken.None),
            Throws.TypeOf<ProbeRefusedException>());
    }
}
