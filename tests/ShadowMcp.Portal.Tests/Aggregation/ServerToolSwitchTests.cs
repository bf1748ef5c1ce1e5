using ModelContextProtocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Aggregation;

/// <summary>Per-server alias, description override, disabled tools and allowlist mode.</summary>
[Category("Integration")]
public sealed class ServerToolSwitchTests
{
    private UpstreamServer _alpha = null!;
    private UpstreamServer _beta = null!;
    private PortalFixture _portal = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        _beta = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl), ("beta", _beta.McpUrl));
        config.Upstreams[0].Alias = "a";
        config.Upstreams[0].DescriptionOverrides["echo"] = "Company echo";
        config.Upstreams[0].Tools.Disabled.Add("delete_*");
        config.Upstreams[1].Tools.Mode = "allowlist";
        config.Upstreams[1].Tools.Enabled.Add("echo");
        config.Groups["all"] = new GroupConfig { Servers = { ["alpha"] = ["*"], ["beta"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
        await _beta.DisposeAsync();
    }

    [Test]
    public async Task ListTools_AppliesAliasOverrideDisableAndAllowlist()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("all"));
        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);
        Assert.That(tools.Keys, Is.EquivalentTo(new[] { "portal_list_servers", "a_echo", "a_leak", "a_slow", "beta_echo" }));
        Assert.That(tools["a_echo"].Description, Is.EqualTo("Company echo"));
    }

    [Test]
    public async Task CallTool_DisabledToolIsRefusedEvenWhenNamedDirectly()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("all"));
        var e = Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("beta_leak", new Dictionary<string, object?>()));
        Assert.That(e!.Message, Does.Contain("disabled"));
    }
}
