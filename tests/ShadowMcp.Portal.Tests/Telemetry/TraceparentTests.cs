using System.Diagnostics;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Telemetry;

/// <summary>A caller's W3C trace continues through the portal to the upstream it calls.</summary>
[Category("Integration")]
public sealed class TraceparentTests
{
    [Test]
    public async Task CallersTraceparent_ReachesTheHttpUpstreamWithTheSameTraceId()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(portal.McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string>
            {
                ["Authorization"] = $"Bearer {portal.CreateToken("dev")}",
                ["traceparent"] = $"00-{traceId}-{callerSpan}-01",
            },
        }));
        lock (upstream.ReceivedTraceparents) upstream.ReceivedTraceparents.Clear();

        await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "traced" });

        List<string> seen;
        lock (upstream.ReceivedTraceparents) seen = [.. upstream.ReceivedTraceparents];
        Assert.That(seen, Has.Some.StartsWith($"00-{traceId}-"), "the upstream request continues the caller's trace");
        Assert.That(seen.Where(t => t.Length > 0), Has.None.Contains(callerSpan.ToString()),
            "the portal's own span is the upstream request's parent, not the caller's span");
    }
}
