using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Telemetry;
using ShadowMcp.Portal.Tests.CodeMode;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Telemetry;

/// <summary>Code-mode runs in real sandbox workers count executions by outcome and the limits they hit.</summary>
[Category("Integration")]
public sealed class CodeModeMetricsTests
{
    [Test]
    public async Task Executions_CountedByOutcome_AndLimitsByName()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.CodeMode.MaxCodeChars = 200;
        config.CodeMode.MaxStatements = 10_000;
        await using var portal = await PortalFixture.StartAsync(config);
        var factory = portal.Services.GetRequiredService<IMeterFactory>();
        var executions = new List<(string Tool, string Outcome)>();
        var limits = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == PortalMetrics.MeterName && ReferenceEquals(i.Meter.Scope, factory)) l.EnableMeasurementEvents(i);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) =>
        {
            var t = new Dictionary<string, string?>();
            foreach (var (k, v) in tags) t[k] = v?.ToString();
            lock (executions)
            {
                if (i.Name == "shadowmcp.portal.codemode.executions") executions.Add((t["tool"]!, t["outcome"]!));
                if (i.Name == "shadowmcp.portal.codemode.limits") limits.Add(t["limit"]!);
            }
        });
        listener.Start();
        var client = await CodeModeClient.ConnectAsync(portal, portal.CreateToken("dev"));

        await client.ExecuteAsync("async () => 1 + 1");
        await client.ExecuteAsync("async () => { for (;;) {} }");
        Assert.ThrowsAsync<McpProtocolException>(async () => await client.ExecuteAsync("async () => '" + new string('x', 300) + "'"));

        Assert.That(executions, Does.Contain(("portal_codemode_execute", "ok")));
        Assert.That(executions, Has.Count.EqualTo(3));
        Assert.That(limits, Is.EquivalentTo(new[] { "statementlimit", "code-size" }));
    }
}
