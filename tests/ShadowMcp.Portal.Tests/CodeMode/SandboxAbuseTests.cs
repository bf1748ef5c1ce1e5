using System.Diagnostics;
using ModelContextProtocol.Client;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// Hostile scripts against a real portal. Each must end in a clear error (or a harmless result) while the portal
/// keeps answering another client's ordinary calls.
/// </summary>
public sealed class SandboxAbuseTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;
    private McpClient _code = null!;
    private McpClient _plain = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.CodeMode.WorkerNice = 0; // CI shares its cores with other test runs; bench/codemode measures priority
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.Groups["reader"] = new GroupConfig { ReadOnly = true, Servers = { ["alpha"] = ["*"] } };
        config.CodeMode.TimeoutSeconds = 2;
        config.CodeMode.MemoryBytes = 64L * 1024 * 1024;
        // Small, so the flood reaches the limit well inside the 2 s deadline even on a loaded CI machine.
        config.CodeMode.MaxToolCalls = 5;
        _portal = await PortalFixture.StartAsync(config);
        _code = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
        _plain = await _portal.ConnectAsync(_portal.CreateToken("dev"));
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _code.DisposeAsync();
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    [TearDown]
    public async Task PortalStillServesOthers()
    {
        var result = await _plain.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "still here" });
        Assert.That(result.Text(), Is.EqualTo("echo: still here"));
    }

    private async Task<string> FailsWith(string code)
    {
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await _code.ExecuteAsync(code, hangGuard.Token);
        Assert.That(result.IsError, Is.True, result.Text());
        Assert.That(result.Text(), Does.Not.Contain("   at ").And.Not.Contain("System."));
        return result.Text();
    }

    [Test]
    public async Task ConstructorConstructor_CannotCompileCode() =>
        Assert.That(await FailsWith("async () => this.constructor.constructor('return process')()"), Does.Contain("Error"));

    [Test]
    public async Task FunctionConstructor_CannotCompileCode() =>
        Assert.That(await FailsWith("async () => Function('return this')()"), Does.Contain("Error"));

    [Test]
    public async Task AsyncFunctionConstructor_CannotCompileCode() =>
        Assert.That(await FailsWith("async () => (async () => {}).constructor('return 1')()"), Does.Contain("Error"));

    [Test]
    public async Task ImportNamespace_IsNotDefined() =>
        Assert.That(await FailsWith("async () => importNamespace('System.IO')"), Does.Contain("ReferenceError").Or.Contain("not defined"));

    [Test]
    public async Task Eval_IsRefused() =>
        Assert.That(await FailsWith("async () => eval('1 + 1')"), Does.Contain("Error"));

    [Test]
    public async Task DynamicImport_IsRefused() =>
        Assert.That(await FailsWith("async () => { const fs = await import('fs'); return Object.keys(fs); }"), Does.Contain("Error"));

    [Test]
    public async Task HostGlobals_AreAbsent()
    {
        var result = await _code.ExecuteAsync(
            "async () => [typeof process, typeof require, typeof setTimeout, typeof setInterval, typeof fetch, typeof XMLHttpRequest, typeof importNamespace, typeof System, typeof clr]");
        Assert.That(result.Json().EnumerateArray().Select(e => e.GetString()), Is.All.EqualTo("undefined"));
    }

    [Test]
    public async Task PrototypePollution_DoesNotReachNextRun()
    {
        var first = await _code.ExecuteAsync("async () => { Object.prototype.polluted = 'yes'; Array.prototype.map = () => 'hijacked'; JSON.stringify = () => 'x'; return 1; }");
        Assert.That(first.Text(), Is.EqualTo("1"), "the result is serialised with the JSON.stringify captured before the script ran");
        var second = await _code.ExecuteAsync("async () => [({}).polluted === undefined, [1].map(x => x + 1)[0]]");
        Assert.That(second.Text(), Is.EqualTo("[true,2]"));
    }

    [Test]
    public async Task InfiniteLoop_TimesOut() =>
        Assert.That(await FailsWith("async () => { while (true) {} }"), Does.Contain("timed out").Or.Contain("statement limit"));

    [Test]
    public async Task MemoryBomb_HitsMemoryLimit() =>
        Assert.That(await FailsWith("async () => { let a = []; while (true) a.push('x'.repeat(1e6)); }"), Does.Contain("memory limit").Or.Contain("timed out"));

    [Test]
    public async Task UnboundedRecursion_HitsRecursionLimit() =>
        Assert.That(await FailsWith("async () => { const f = (n) => f(n + 1) + 1; return f(0); }"), Does.Contain("recursion").Or.Contain("stack"));

    /// <remarks>
    /// Building and serializing 100 MB in the interpreter can outlast the 2 s deadline on a loaded machine (load
    /// average 12 to 19 in the issue 10 runs): the worker is then killed instead, which refuses it just as well.
    /// </remarks>
    [Test]
    public async Task HundredMegabyteResult_IsRefused() =>
        Assert.That(await FailsWith("async () => 'x'.repeat(100 * 1024 * 1024)"),
            Does.Contain("memory limit").Or.Contain("larger than").Or.Contain("timed out"));

    [Test]
    public async Task TenThousandPendingPromises_EndAtOnce() =>
        Assert.That(await FailsWith("async () => Promise.all(Array.from({ length: 10000 }, () => new Promise(() => {})))"), Does.Contain("never settle"));

    [Test]
    public async Task ThousandToolCalls_StopAtTheCallLimit()
    {
        var text = await FailsWith("async () => Promise.all(Array.from({ length: 1000 }, (_, i) => codemode.alpha_echo({ text: 'flood' + i })))");
        // Known gap (issue 11, left open): with worker processes a 1000-call flood can end by the worker's own deadline
        // before the sixth call reaches the portal; either way the run ends and the upstream never sees more than the limit.
        Assert.That(text, Does.Contain("tool call limit reached (5").Or.Contain("timed out"));
        await Task.Delay(500);
        Assert.That(_alpha.ReceivedArguments.Count(a => a.Contains("flood")), Is.LessThanOrEqualTo(5));
    }

    [Test]
    public async Task ToolCallAfterTimeout_NeverReachesUpstream()
    {
        var text = await FailsWith("""
            async () => {
              await codemode.alpha_slow({ text: '4000' });
              return codemode.alpha_echo({ text: 'after-timeout' });
            }
            """);
        Assert.That(text, Does.Contain("timed out"));
        await Task.Delay(3000);
        Assert.That(_alpha.ReceivedArguments, Has.None.Contains("after-timeout"));
    }

    [Test]
    public async Task DeniedTool_IsNotCallable()
    {
        await using var reader = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("reader"));
        var result = await reader.ExecuteAsync("async () => codemode.alpha_delete_item({ text: 'denied-row' })");
        Assert.That(result.IsError, Is.True);
        Assert.That(_alpha.ReceivedArguments, Has.None.Contains("denied-row"));
    }

    [Test]
    public async Task ClientCancellation_StopsTheExecution()
    {
        // The script never ends by itself; with a 60 s timeout only the client's cancellation can end it.
        await using var patient = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
        using var cts = new CancellationTokenSource();
        var run = patient.ExecuteAsync("async () => { console.log('cancel-me'); for (;;) {} }", cts.Token);
        await CodeModeSignals.WaitForWorkerBusyAsync(_portal);
        await cts.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(async () => await run);
        var row = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.Outcome == "codemode-cancelled");
        Assert.That(row.Tool, Is.EqualTo("portal_codemode_execute"));
    }
}
