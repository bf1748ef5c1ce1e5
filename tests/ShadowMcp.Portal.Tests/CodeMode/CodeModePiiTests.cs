using ModelContextProtocol.Client;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>PII tokenization: the script and the model see [EMAIL_1]; only a server allowed raw data gets the value back.</summary>
public sealed class CodeModePiiTests
{
    private UpstreamServer _crm = null!;
    private UpstreamServer _paste = null!;
    private PortalFixture _portal = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _crm = await UpstreamServer.StartAsync();
        _paste = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("crm", _crm.McpUrl), ("paste", _paste.McpUrl));
        config.Upstreams[0].Dlp = new DlpSettings { Arguments = "log", Results = "log" };
        config.CodeMode.TokenizePii = ["crm"];
        config.Groups["dev"] = new GroupConfig { Servers = { ["crm"] = ["*"], ["paste"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
        _client = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _client.DisposeAsync();
        await _portal.DisposeAsync();
        await _crm.DisposeAsync();
        await _paste.DisposeAsync();
    }

    [Test]
    public async Task Execute_TokenizedResult_RestoredOnlyForAllowedServer()
    {
        var result = await _client.ExecuteAsync("""
            async () => {
              const leak = await codemode.crm_leak({});
              const back = await codemode.crm_echo({ text: 'to ' + leak.slice(leak.indexOf('[EMAIL')) });
              let pasted = 'not tried';
              try { await codemode.paste_echo({ text: leak }); pasted = 'sent'; } catch (e) { pasted = e.message; }
              return { leak, back, pasted };
            }
            """);
        var json = result.Json();
        Assert.That(json.GetProperty("leak").GetString(), Does.Contain("[EMAIL_1]").And.Not.Contain("ops@example.com"));
        Assert.That(json.GetProperty("back").GetString(), Is.EqualTo("echo: to [EMAIL_1]"), "the echo of the raw value is tokenized again on the way back");
        Assert.That(_crm.ReceivedArguments, Has.Some.Contains("ops@example.com"));
        Assert.That(json.GetProperty("pasted").GetString(), Does.Contain("may not be sent to server 'paste'"));
        Assert.That(_paste.ReceivedArguments, Has.None.Contains("ops@example.com").And.None.Contains("EMAIL_1"));
        Assert.That(result.Text(), Does.Not.Contain("ops@example.com"));
    }
}
