using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>Legacy SSE upstreams, protocol generations on the client side, and list_changed refresh.</summary>
[Category("Integration")]
public sealed class UpstreamTransportTests
{
    [Test]
    public async Task LegacySseUpstream_IsDetectedFromPathAndProxied()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("legacy", upstream.SseUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["legacy"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        var client = await portal.ConnectAsync(portal.CreateToken("dev"));
        var result = await client.CallToolAsync("legacy_echo", new Dictionary<string, object?> { ["text"] = "over sse" });
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("echo: over sse"));
        Assert.That(portal.Registry.Status().Single().Transport, Is.EqualTo("sse"));
    }

    [TestCase("2025-11-25", TestName = "Client_InitializeHandshake_2025_11_25_Works")]
    [TestCase("2025-06-18", TestName = "Client_InitializeHandshake_2025_06_18_Works")]
    [TestCase("2026-07-28", TestName = "Client_Stateless_2026_07_28_Works")]
    public async Task Client_ProtocolVersion_Works(string version)
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        var client = await portal.ConnectAsync(portal.CreateToken("dev"), version);
        Assert.That(client.NegotiatedProtocolVersion, Is.EqualTo(version));
        var result = await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = version });
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo($"echo: {version}"));
    }

    [Test]
    public async Task ListChanged_FromUpstream_RefreshesTheCache()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Upstreams[0].Pinning = "off";
        config.Upstreams[0].ProtocolVersion = "2025-11-25";
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        await portal.Registry.EnsureRefreshedAsync();
        var tools = UpstreamServer.DefaultTools();
        tools.Add(UpstreamServer.MakeTool("fresh", "Added at run time"));
        upstream.ReplaceTools(tools);
        await upstream.NotifyToolsChangedAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (portal.Registry.Catalog.Tools.Find("alpha_fresh") is null && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.That(portal.Registry.Catalog.Tools.Find("alpha_fresh"), Is.Not.Null);
    }
}
