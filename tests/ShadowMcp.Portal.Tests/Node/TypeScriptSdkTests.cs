using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Node;

/// <summary>
/// The official TypeScript SDK on both sides: as an upstream (stdio, run by the portal, and Streamable HTTP)
/// and as a client through the portal.
/// </summary>
[Category("Integration")]
public sealed class TypeScriptSdkTests
{
    private UpstreamServer _alpha = null!;
    private Process _tsHttp = null!;
    private PortalFixture _portal = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        (_tsHttp, var tsUrl) = await NodeScripts.StartHttpServerAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl), ("tshttp", tsUrl));
        config.Upstreams.Add(new UpstreamConfig
        {
            Id = "tsstdio", Command = "node", Args = [Path.Combine(NodeScripts.Folder, "server.mjs"), "stdio"], TimeoutSeconds = 30,
        });
        config.Upstreams[1].Dlp.Results = "redact";
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"], ["tshttp"] = ["*"], ["tsstdio"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
        _tsHttp.StandardInput.Close();
        if (!_tsHttp.WaitForExit(5000)) _tsHttp.Kill(entireProcessTree: true);
        _tsHttp.Dispose();
    }

    [Test]
    public async Task CSharpClient_CallsTypeScriptUpstreams_OverStdioAndHttp()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "tsstdio_shout", "tshttp_shout", "alpha_echo" }));
        var viaStdio = await client.CallToolAsync("tsstdio_shout", new Dictionary<string, object?> { ["text"] = "hello" });
        var viaHttp = await client.CallToolAsync("tshttp_shout", new Dictionary<string, object?> { ["text"] = "world" });
        Assert.That(((TextContentBlock)viaStdio.Content[0]).Text, Is.EqualTo("TS: HELLO"));
        Assert.That(((TextContentBlock)viaHttp.Content[0]).Text, Is.EqualTo("TS: WORLD"));
    }

    [Test]
    public async Task TypeScriptClient_ListsAndCallsThroughPortal()
    {
        var (code, stdout, stderr) = await NodeScripts.RunAsync("client.mjs", TimeSpan.FromSeconds(60), _portal.McpUrl, _portal.CreateToken("dev"), "alpha_echo", "from ts");
        Assert.That(code, Is.Zero, stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        var tools = doc.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.That(tools, Is.SupersetOf(new[] { "portal_list_servers", "alpha_echo", "tsstdio_shout" }));
        Assert.That(doc.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString(), Is.EqualTo("echo: from ts"));
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        Assert.That(db.Audit.Any(a => a.ClientName == "ts-client" && a.ClientVersion == "2.0.0" && a.Tool == "alpha_echo"), Is.True);
    }

    [Test]
    public async Task TypeScriptClient_ToTypeScriptUpstream_ResultIsRedacted()
    {
        var (code, stdout, stderr) = await NodeScripts.RunAsync("client.mjs", TimeSpan.FromSeconds(60), _portal.McpUrl, _portal.CreateToken("dev"), "tshttp_card");
        Assert.That(code, Is.Zero, stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString(), Is.EqualTo("card [REDACTED:card-number]"));
    }

    [Test]
    public async Task TypeScriptClient_WithoutValidToken_CannotConnect()
    {
        var (code, stdout, _) = await NodeScripts.RunAsync("client.mjs", TimeSpan.FromSeconds(60), _portal.McpUrl, "smcp_bad_token", "alpha_echo");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Does.Contain("fatal"));
    }
}
