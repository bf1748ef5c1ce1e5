using System.Text.Json;
using ModelContextProtocol.Client;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>Code mode through a real portal and a real upstream: listing, search, execute, audit.</summary>
[Category("Integration")]
public sealed class CodeModeTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;
    private McpClient _dev = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.CodeMode.WorkerNice = 0; // CI shares its cores with other test runs; bench/codemode measures priority
        config.Upstreams[0].Dlp.Results = "redact";
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.Groups["reader"] = new GroupConfig { ReadOnly = true, Servers = { ["alpha"] = ["*"] } };
        config.CodeMode.MaxResultTokens = 100;
        _portal = await PortalFixture.StartAsync(config);
        _dev = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _dev.DisposeAsync();
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    [Test]
    public async Task ListTools_CodeModeSession_ExactlyTwoToolsWhileOtherSessionsSeeAll()
    {
        var plain = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var tools = await _dev.ListToolsAsync();
        Assert.That(tools.Select(t => t.Name), Is.EqualTo(new[] { "portal_codemode_search", "portal_codemode_execute" }));
        foreach (var tool in tools)
        {
            Assert.That(tool.ProtocolTool.InputSchema.GetProperty("properties").GetProperty("code").GetProperty("type").GetString(), Is.EqualTo("string"));
            Assert.That(tool.Description, Does.Contain("declare const codemode"));
            Assert.That(tool.Description!.Length, Is.LessThan(900));
        }
        Assert.That((await plain.ListToolsAsync()).Select(t => t.Name), Is.SupersetOf(new[] { "alpha_echo", "alpha_slow" }));
    }

    [Test]
    public async Task Search_ToolsFilteredByName_ReturnsServerAndSchema()
    {
        var result = await _dev.SearchAsync("async () => codemode.tools().filter(t => t.name.includes('echo'))");
        var tools = result.Json();
        Assert.That(tools.GetArrayLength(), Is.EqualTo(1));
        Assert.That(tools[0].GetProperty("name").GetString(), Is.EqualTo("alpha_echo"));
        Assert.That(tools[0].GetProperty("server").GetString(), Is.EqualTo("alpha"));
        Assert.That(tools[0].GetProperty("inputSchema").GetProperty("type").GetString(), Is.EqualTo("object"));
        Assert.That(tools[0].GetProperty("annotations").GetProperty("readOnlyHint").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Search_Declarations_ReturnsTypeScriptForPickedTools()
    {
        var result = await _dev.SearchAsync("async () => codemode.declarations(['alpha_echo', 'nope'])");
        var ts = result.Json().GetString()!;
        Assert.That(ts, Does.Contain("function alpha_echo(args: {"));
        Assert.That(ts, Does.Contain("text?: string;"));
        Assert.That(ts, Does.Contain("/** Echo the text back (alpha) */"));
        Assert.That(ts, Does.Contain("// unknown tools: nope"));
    }

    [Test]
    public async Task Execute_ChainsCalls_LogsAndAuditsWithExecutionId()
    {
        var result = await _dev.ExecuteAsync("""
            async () => {
              const a = await codemode.alpha_echo({ text: 'one' });
              console.log('first', a);
              const b = await codemode.alpha_echo({ text: a + '+two' });
              return { a, b };
            }
            """);
        var json = result.Json();
        Assert.That(json.GetProperty("b").GetString(), Is.EqualTo("echo: echo: one+two"));
        Assert.That(result.Text(1), Is.EqualTo("console output:\nfirst echo: one"));
        var id = result.ExecutionId();
        using var db = _portal.Store.Open();
        var rows = db.Audit.Where(a => a.ExecutionId == id).OrderBy(a => a.Seq).ToList();
        Assert.That(rows.Select(r => (r.Method, r.Tool)), Is.EqualTo(new[]
        {
            ("tools/list", (string?)null), ("tools/call", "alpha_echo"), ("tools/call", "alpha_echo"), ("tools/call", "portal_codemode_execute"),
        }));
        Assert.That(rows.Select(r => r.User).Distinct().Single(), Is.Not.Empty);
        Assert.That(ShadowMcp.Portal.Audit.AuditVerifier.Verify(_portal.Store), Is.Empty);
    }

    [Test]
    public async Task Execute_PromiseAll_RunsCallsConcurrently()
    {
        var result = await _dev.ExecuteAsync("async () => Promise.all([1,2,3,4,5,6].map(i => codemode.alpha_echo({ text: String(i) })))");
        Assert.That(result.Json().EnumerateArray().Select(e => e.GetString()), Is.EqualTo(Enumerable.Range(1, 6).Select(i => $"echo: {i}")));
    }

    [Test]
    public async Task Execute_DlpStillApplies_ResultRedactedInsideCode()
    {
        var result = await _dev.ExecuteAsync("async () => codemode.alpha_leak({})");
        Assert.That(result.Json().GetString(), Does.Contain("[REDACTED:aws-access-key]").And.Not.Contain("AKIA"));
    }

    [Test]
    public async Task Execute_ScriptThrows_ErrorMessageWithoutHostDetails()
    {
        var thrown = await _dev.ExecuteAsync("async () => { console.log('before'); throw new Error('boom ' + 42); }");
        Assert.That(thrown.IsError, Is.True);
        Assert.That(thrown.Text(), Is.EqualTo("Error: Error: boom 42"));
        Assert.That(thrown.Text(1), Does.Contain("before"));
        var syntax = await _dev.ExecuteAsync("async () => { return 1 +; }");
        Assert.That(syntax.Text(), Does.Contain("Unexpected token"));
        Assert.That(syntax.Text(), Does.Not.Contain(" at Jint").And.Not.Contain("System."));
    }

    [Test]
    public async Task Execute_LargeResult_TruncatedWithMarker()
    {
        var result = await _dev.ExecuteAsync("async () => Array.from({ length: 500 }, (_, i) => 'item ' + i)");
        Assert.That(result.Text(), Does.Contain("…[truncated by the portal"));
        Assert.That(result.Text().Length, Is.LessThan(700));
    }

    [Test]
    public async Task Execute_ReadOnlyGroup_DeniedToolIsNotReachable()
    {
        await using var reader = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("reader"));
        var before = _alpha.ReceivedArguments.Count(a => a.Contains("secret-row"));
        var result = await reader.ExecuteAsync("async () => codemode.alpha_delete_item({ text: 'secret-row' })");
        Assert.That(result.IsError, Is.True);
        Assert.That(result.Text(), Does.Contain("TypeError"));
        var listed = await reader.SearchAsync("async () => codemode.tools().map(t => t.name)");
        Assert.That(listed.Json().EnumerateArray().Select(e => e.GetString()), Does.Not.Contain("alpha_delete_item").And.Contain("alpha_echo"));
        Assert.That(_alpha.ReceivedArguments.Count(a => a.Contains("secret-row")), Is.EqualTo(before));
    }

    [Test]
    public async Task CallTool_MissingCode_IsInvalidParams()
    {
        var e = Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(async () =>
            await _dev.CallToolAsync("portal_codemode_execute", new Dictionary<string, object?> { ["source"] = "x" }));
        Assert.That(e!.Message, Does.Contain("code"));
        await Task.CompletedTask;
    }
}
