using System.Net;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>C# SDK client -> portal -> C# SDK upstreams, all real, on loopback.</summary>
[Category("Integration")]
public sealed class PortalProxyTests
{
    private UpstreamServer _alpha = null!;
    private UpstreamServer _beta = null!;
    private PortalFixture _portal = null!;

    [SetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync(withPrompts: true);
        _beta = await UpstreamServer.StartAsync([UpstreamServer.MakeTool("echo", "Beta echo", readOnly: true)]);
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl), ("beta", _beta.McpUrl), ("down", "http://127.0.0.1:9/mcp"));
        config.Upstreams[0].Headers["Authorization"] = "Bearer upstream-secret";
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"], ["beta"] = ["*"], ["down"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
        await _beta.DisposeAsync();
    }

    [Test]
    public async Task ListTools_AggregatesUpstreamsUnderServerPrefix()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "portal_list_servers", "alpha_echo", "alpha_leak", "alpha_delete_item", "beta_echo" }));
        Assert.That(names, Has.None.StartsWith("down_"));
    }

    [Test]
    public async Task CallTool_ProxiesToTheRightUpstream()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var result = await client.CallToolAsync("beta_echo", new Dictionary<string, object?> { ["text"] = "hi" });
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("echo: hi"));
        Assert.That(_beta.ReceivedArguments, Has.Count.EqualTo(1));
        Assert.That(_alpha.ReceivedArguments, Is.Empty);
    }

    [Test]
    public async Task CallTool_SendsUpstreamCredentialsButNeverTheClientToken()
    {
        var token = _portal.CreateToken("dev");
        var client = await _portal.ConnectAsync(token);
        await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "x" });
        Assert.That(_alpha.ReceivedAuthorization, Has.All.EqualTo("Bearer upstream-secret"));
        Assert.That(_beta.ReceivedAuthorization.Concat(_alpha.ReceivedAuthorization), Has.None.Contains(token));
    }

    [Test]
    public async Task ListServers_ReportsDownUpstreamWithoutBreakingOthers()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var result = await client.CallToolAsync("portal_list_servers", new Dictionary<string, object?>());
        using var doc = JsonDocument.Parse(((TextContentBlock)result.Content[0]).Text);
        var servers = doc.RootElement.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.That(servers["alpha"].GetProperty("healthy").GetBoolean(), Is.True);
        Assert.That(servers["down"].GetProperty("healthy").GetBoolean(), Is.False);
        Assert.That(servers["down"].GetProperty("error").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Health_ShowsDegradedWhenAnUpstreamIsDown()
    {
        await _portal.Registry.EnsureRefreshedAsync();
        using var http = new HttpClient();
        var response = await http.GetAsync(_portal.BaseUrl + "/health");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(doc.RootElement.GetProperty("status").GetString(), Is.EqualTo("degraded"));
    }

    [Test]
    public async Task CallTool_UnknownToolIsAnError()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var e = Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("nope_tool", new Dictionary<string, object?>()));
        Assert.That(e!.Message, Does.Contain("nope_tool"));
    }

    [Test]
    public async Task Prompts_AreProxiedUnderServerPrefix()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var prompts = await client.ListPromptsAsync();
        Assert.That(prompts.Select(p => p.Name), Does.Contain("alpha_greet"));
        var got = await client.GetPromptAsync("alpha_greet");
        Assert.That(((TextContentBlock)got.Messages[0].Content).Text, Is.EqualTo("Hello from the fixture prompt"));
    }

    [Test]
    public async Task Complete_WithASecretTyped_IsBlockedByArgumentsDlp()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));

        var error = Assert.CatchAsync<McpProtocolException>(async () =>
            await client.CompleteAsync(new PromptReference { Name = "alpha_greet" }, "name", "AKIAIOSFODNN7EXAMPLE"));

        Assert.That(error!.Message, Does.Contain("aws-access-key").And.Not.Contain("AKIAIOSFODNN7EXAMPLE"));
    }

    [Test]
    public async Task Complete_ForPrompt_IsRoutedToItsServer()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var result = await client.CompleteAsync(new PromptReference { Name = "alpha_greet" }, "name", "al");
        // The upstream sees its own prompt name, not the exposed one.
        Assert.That(result.Completion.Values, Is.EqualTo(new[] { "greet:al" }));
    }

    [Test]
    public async Task Resources_AreProxied()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var resources = await client.ListResourcesAsync();
        Assert.That(resources.Select(r => r.Uri), Does.Contain("fixture://doc"));
        var read = await client.ReadResourceAsync("fixture://doc");
        Assert.That(((TextResourceContents)read.Contents[0]).Text, Is.EqualTo("fixture document"));
    }
}
