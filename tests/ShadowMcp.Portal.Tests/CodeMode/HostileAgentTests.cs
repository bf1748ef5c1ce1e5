using ModelContextProtocol.Client;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// A hostile agent's scripts against a real portal and real upstreams: work left running after the script's
/// result, tool names that only look alike, and upstream results built to poison the sandbox.
/// </summary>
[Category("Integration")]
public sealed class HostileAgentTests
{
    private UpstreamServer _alpha = null!;
    private UpstreamServer _gh = null!;
    private UpstreamServer _ghEnt = null!;
    private PortalFixture _portal = null!;
    private McpClient _code = null!;
    private McpClient _plain = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync([.. UpstreamServer.DefaultTools(), UpstreamServer.MakeTool("structured", "Returns its text as structuredContent")]);
        // Two servers whose prefixes nest: "gh_ent" is trusted with `list`; "gh" publishes `ent-list`, which is
        // exposed as gh_ent-list, a different tool name whose code-mode identifier would be gh_ent_list too.
        _ghEnt = await UpstreamServer.StartAsync([UpstreamServer.MakeTool("list", "Lists the enterprise's items", readOnly: true)]);
        _gh = await UpstreamServer.StartAsync([UpstreamServer.MakeTool("ent-list", "Lists the enterprise's items", readOnly: true)]);
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl), ("gh", _gh.McpUrl), ("gh_ent", _ghEnt.McpUrl));
        config.CodeMode.WorkerNice = 0; // CI shares its cores with other test runs; bench/codemode measures priority
        config.CodeMode.TimeoutSeconds = 10;
        config.CodeMode.MemoryBytes = 64L * 1024 * 1024;
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"], ["gh"] = ["*"], ["gh_ent"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
        _code = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
        _plain = await _portal.ConnectAsync(_portal.CreateToken("dev"));
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _code.DisposeAsync();
        await _plain.DisposeAsync();
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
        await _gh.DisposeAsync();
        await _ghEnt.DisposeAsync();
    }

    [Test]
    public async Task WorkLeftRunningAfterTheResult_EndsWithTheRun_AndItsCallNeverReachesTheUpstream()
    {
        // The script returns at once, leaving a job that waits a few turns (past the moment its result is
        // reported), calls a tool nobody awaits, then spins on the job queue. Before, the job kept running inside
        // the finished execution: its call went out and reached the upstream, and the spinning turned the
        // reported result into a memory-limit failure.
        var result = await _code.ExecuteAsync("""
            async () => {
              (async () => {
                for (let i = 0; i < 20; i++) await null;
                codemode.alpha_echo({ text: 'after-the-result' });
                for (;;) await null;
              })();
              return 'finished';
            }
            """);
        Assert.That(result.IsError, Is.Not.True, result.Text());
        Assert.That(result.Json().GetString(), Is.EqualTo("finished"));
        var row = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.ExecutionId == result.ExecutionId() && a.Tool == "portal_codemode_execute");
        Assert.That(row.Outcome, Is.EqualTo("ok"));
        // A later call answered by the same upstream: any call of the finished run would have come before it.
        var later = await _plain.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "later-call" });
        Assert.That(later.Text(), Is.EqualTo("echo: later-call"));
        Assert.That(_alpha.ReceivedArguments, Has.None.Contains("after-the-result"));
    }

    [Test]
    public async Task LookAlikeToolName_DoesNotTakeAnotherServersIdentifier()
    {
        var result = await _code.ExecuteAsync("async () => codemode.gh_ent_list({ text: 'quarterly-numbers' })");
        Assert.That(result.IsError, Is.Not.True, result.Text());
        Assert.That(result.Json().GetString(), Is.EqualTo("list: quarterly-numbers"));
        Assert.That(_ghEnt.ReceivedArguments, Has.Some.Contains("quarterly-numbers"));
        Assert.That(_gh.ReceivedArguments, Has.None.Contains("quarterly-numbers"));
    }

    [Test]
    public async Task LookAlikeToolName_GetsNoIdentifierOfItsOwnThatLooksPlain()
    {
        // Neither name of a pair that only sanitising made equal is given the plain identifier by sort order;
        // the look-alike is listed under a suffixed one with its server, so a search shows which is which.
        var result = await _code.SearchAsync("async () => codemode.tools().filter(t => t.name.startsWith('gh_ent')).map(t => t.name + '@' + t.server)");
        Assert.That(result.Json().EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "gh_ent_list@gh_ent", "gh_ent_list_2@gh" }));
    }

    [Test]
    public async Task ResultWithProtoKeys_StaysData_AndPollutesNothing()
    {
        var result = await _code.ExecuteAsync("""
            async () => {
              const r = await codemode.alpha_structured({ text: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"admin": true}}, "ok": 1}' });
              return [r.admin === undefined, ({}).admin === undefined, Object.getPrototypeOf(r) === Object.prototype, Object.keys(r)];
            }
            """);
        Assert.That(result.Text(), Is.EqualTo("""[true,true,true,["__proto__","constructor","ok"]]"""));
    }
}
