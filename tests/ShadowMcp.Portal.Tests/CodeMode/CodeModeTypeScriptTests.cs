using System.Diagnostics;
using System.Text.Json;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// End to end: the official TypeScript SDK client in code mode, over two upstreams (the C# SDK fixture and the
/// TypeScript SDK server), searching by name and then chaining calls on both.
/// </summary>
[Category("Integration")]
public sealed class CodeModeTypeScriptTests
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
        config.CodeMode.WorkerNice = 0; // CI shares its cores with other test runs; bench/codemode measures priority
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"], ["tshttp"] = ["*"] } };
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
    public async Task TypeScriptClient_SearchesAcrossUpstreams_ThenChainsCallsOnBoth()
    {
        const string search = "async () => codemode.tools().filter(t => /echo|shout/.test(t.name)).map(t => ({ name: t.name, server: t.server }))";
        const string execute = """
            async () => {
              const first = await codemode.alpha_echo({ text: 'portal' });
              const second = await codemode.tshttp_shout({ text: first });
              console.log('chained', first, '->', second);
              return { first, second, length: second.length };
            }
            """;
        var (code, stdout, stderr) = await NodeScripts.RunAsync("codemode-client.mjs", TimeSpan.FromSeconds(60), _portal.McpUrl, _portal.CreateToken("dev"), search, execute);
        Assert.That(code, Is.Zero, stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("tools").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "portal_codemode_search", "portal_codemode_execute" }));

        using var found = JsonDocument.Parse(root.GetProperty("search")[0].GetString()!);
        var pairs = found.RootElement.EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("server").GetString())).ToList();
        Assert.That(pairs, Is.EquivalentTo(new[] { ("alpha_echo", "alpha"), ("tshttp_shout", "tshttp") }));

        Assert.That(root.GetProperty("executeIsError").GetBoolean(), Is.False, root.GetProperty("execute").ToString());
        using var combined = JsonDocument.Parse(root.GetProperty("execute")[0].GetString()!);
        Assert.That(combined.RootElement.GetProperty("first").GetString(), Is.EqualTo("echo: portal"));
        Assert.That(combined.RootElement.GetProperty("second").GetString(), Is.EqualTo("TS: ECHO: PORTAL"));
        Assert.That(combined.RootElement.GetProperty("length").GetInt32(), Is.EqualTo("TS: ECHO: PORTAL".Length));
        Assert.That(root.GetProperty("execute")[1].GetString(), Is.EqualTo("console output:\nchained echo: portal -> TS: ECHO: PORTAL"));

        using var db = _portal.Store.Open();
        var calls = db.Audit.Where(a => a.ClientName == "ts-codemode-client" && a.Method == "tools/call" && a.ExecutionId != null).Select(a => a.Tool).ToList();
        Assert.That(calls, Is.SupersetOf(new[] { "alpha_echo", "tshttp_shout", "portal_codemode_execute" }));
    }
}
