using ModelContextProtocol.Client;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>What a script can see and how its errors read: the wrapper, import(), regex timeouts, odd errors, the clock.</summary>
[Category("Integration")]
public sealed class SandboxSurfaceTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.CodeMode.WorkerNice = 0; // CI shares its cores with other test runs; bench/codemode measures priority
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.CodeMode.TimeoutSeconds = 20;
        _portal = await PortalFixture.StartAsync(config);
        _client = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _client.DisposeAsync();
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    [TestCase("0); codemode.alpha_echo({ text: 'escaped-wrapper' }); (async () => 1")]
    [TestCase("async () => 1), codemode.alpha_echo({ text: 'escaped-wrapper' }), (0")]
    [TestCase("async () => 1\n); codemode.alpha_echo({ text: 'escaped-wrapper' }); /*")]
    public async Task CodeThatClosesTheWrapper_IsRefusedBeforeAnythingRuns(string code)
    {
        var result = await _client.ExecuteAsync(code);
        Assert.That(result.IsError, Is.True);
        Assert.That(result.Text(), Does.Contain("SyntaxError"));
        Assert.That(_alpha.ReceivedArguments, Has.None.Contains("escaped-wrapper"));
    }

    [Test]
    public async Task PlainFunctionExpression_IsAccepted() =>
        Assert.That((await _client.ExecuteAsync("function () { return 7; }")).Json().GetInt32(), Is.EqualTo(7));

    [Test]
    public async Task DynamicImport_IsACatchableClearError()
    {
        var result = await _client.ExecuteAsync("async () => { try { await import('fs'); return 'loaded'; } catch (e) { return e.name + ': ' + e.message; } }");
        Assert.That(result.Json().GetString(), Does.StartWith("TypeError: import() is not available"));
    }

    [Test]
    public async Task RegexBacktracking_IsReportedAsARegexTimeout()
    {
        var result = await _client.ExecuteAsync("async () => /(a+)+$/.test('a'.repeat(40) + 'b')");
        Assert.That(result.IsError, Is.True);
        Assert.That(result.Text(), Does.Contain("regular expression").And.Not.Contain("timed out after 20"));
    }

    [Test]
    public async Task ErrorWhoseMessageGetterThrows_IsReportedSanely()
    {
        var result = await _client.ExecuteAsync(
            "async () => { const e = {}; Object.defineProperty(e, 'message', { get() { throw new Error('gotcha'); } }); throw e; }");
        Assert.That(result.IsError, Is.True);
        Assert.That(result.Text(), Does.Contain("reading its message threw").And.Not.Contain("never settle"));
    }

    [Test]
    public async Task Clock_IsUtc()
    {
        var result = await _client.ExecuteAsync("async () => [new Date(0).getTimezoneOffset(), new Date(0).toString()]");
        var json = result.Json();
        Assert.That(json[0].GetInt32(), Is.Zero);
        Assert.That(json[1].GetString(), Does.Contain("GMT+0000"));
    }
}
