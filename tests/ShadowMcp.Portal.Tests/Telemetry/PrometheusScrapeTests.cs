using System.Net;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Telemetry;

/// <summary>A real Prometheus scrapes a real portal's /metrics and sees the call a real client made.</summary>
[Category("Integration")]
public sealed class PrometheusScrapeTests
{
    [Test]
    public async Task Prometheus_ScrapesPortal_AndSeesTheCallCounter()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        // A server id no other test uses: meters are per process, and other portals in this test run count too.
        var config = PortalFixture.Config1(("scraped", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["scraped"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        var client = await portal.ConnectAsync(portal.CreateToken("dev"));
        await client.CallToolAsync("scraped_echo", new Dictionary<string, object?> { ["text"] = "count me" });
        await client.CallToolAsync("scraped_echo", new Dictionary<string, object?> { ["text"] = "and me" });

        await using var prometheus = LocalPrometheus.Start(new Uri(portal.BaseUrl).Authority);
        await prometheus.WaitForTargetsUpAsync(1);
        var calls = await prometheus.WaitForValueAsync(
            "shadowmcp_portal_calls_total{server=\"scraped\",tool=\"scraped_echo\",outcome=\"ok\",mcp_method=\"tools/call\"}", 2);
        Assert.That(calls, Is.EqualTo(2));
        Assert.That(await prometheus.WaitForValueAsync(
            "shadowmcp_portal_call_duration_seconds_count{server=\"scraped\",tool=\"scraped_echo\"}", 2), Is.EqualTo(2));
        Assert.That(await prometheus.WaitForValueAsync("shadowmcp_portal_upstream_healthy{server=\"scraped\"}", 1), Is.EqualTo(1));
    }

    [Test]
    public async Task MetricsEndpoint_OnLoopback_ServesPrometheusText()
    {
        var config = PortalFixture.Config1();
        await using var portal = await PortalFixture.StartAsync(config);
        using var http = new HttpClient();
        var response = await http.GetAsync(portal.BaseUrl + "/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
    }
}
