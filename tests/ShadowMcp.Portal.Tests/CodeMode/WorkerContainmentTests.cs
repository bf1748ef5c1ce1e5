using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// The attacks that used to stall or exhaust the portal, against a real portal whose scripts run in worker
/// processes: a worker that never yields is killed at the deadline, its slot freed and its row written; one user
/// cannot hold every slot; a revoked token stops a run; refusals are audited.
/// </summary>
[Category("Integration")]
public sealed class WorkerContainmentTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.CodeMode.WorkerNice = 0; // CI shares its cores with other test runs; bench/codemode measures priority
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.CodeMode.TimeoutSeconds = 8;
        config.CodeMode.MaxConcurrentExecutions = 2;
        config.CodeMode.MaxExecutionsPerUser = 1;
        config.CodeMode.QueueSeconds = 1;
        config.CodeMode.MaxToolCalls = 100_000;
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    private Task<McpClient> ConnectAsync(string? name = null) => CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev", name: name));

    [Test]
    public async Task WorkerThatNeverYields_IsKilledAtTheDeadline_SlotFreed_RowWritten()
    {
        // SIGSTOP stands for any operation the engine cannot interrupt (Atomics.wait, one huge native call):
        // nothing inside the worker runs any more, so only the portal's own deadline can end the execution.
        await using var client = await ConnectAsync("frozen");
        var run = client.ExecuteAsync("async () => { for (;;) {} }");
        var pids = await CodeModeSignals.WaitForWorkerBusyAsync(_portal);
        ExternalTools.RequireIntegrationLane("kill");
        foreach (var pid in pids) Process.Start("kill", ["-STOP", pid.ToString()])!.WaitForExit();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.That(result.IsError, Is.True);
        Assert.That(result.Text(), Does.Contain("timed out").And.Contain("killed"));
        var row = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.ExecutionId == result.ExecutionId() && a.Tool == "portal_codemode_execute");
        Assert.That(row.Outcome, Is.EqualTo("codemode-timeout"));
        // The same user (one slot) runs again at once: the slot was released.
        Assert.That((await client.ExecuteAsync("async () => 'next'")).Json().GetString(), Is.EqualTo("next"));
    }

    [Test]
    public async Task AtomicsWait_IsNotThere_AndTheSlotIsFree()
    {
        await using var client = await ConnectAsync("atomics");
        var result = await client.ExecuteAsync("async () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)");
        Assert.That(result.IsError, Is.True);
        Assert.That(result.Text(), Does.Contain("Atomics is not defined"));
        var surface = await client.ExecuteAsync(
            "async () => [typeof Atomics, typeof SharedArrayBuffer, typeof ShadowRealm, typeof WeakRef, typeof FinalizationRegistry]");
        Assert.That(surface.Json().EnumerateArray().Select(e => e.GetString()), Is.All.EqualTo("undefined"));
    }

    [Test]
    public async Task HugeRepeat_IsContainedInTheWorker()
    {
        await using var client = await ConnectAsync("repeat");
        var result = await client.ExecuteAsync("async () => 'x'.repeat(2 ** 29 - 32).length");
        Assert.That(result.IsError, Is.True, result.Text());
        Assert.That(result.Text(), Does.Contain("memory limit").Or.Contain("sandbox process was stopped"));
        Assert.That((await client.ExecuteAsync("async () => 'after'")).Json().GetString(), Is.EqualTo("after"));
    }

    [Test]
    public async Task OneUser_CannotHoldEverySlot_AndBusyIsAudited()
    {
        var hogToken = _portal.CreateToken("dev", name: "hog");
        await using var hog = await CodeModeClient.ConnectAsync(_portal, hogToken);
        await using var hogAgain = await CodeModeClient.ConnectAsync(_portal, hogToken);
        await using var other = await ConnectAsync("other");
        // The hog holds its slot waiting on an upstream, not burning CPU: a CPU-bound hog may meet its CPU-time limit
        // before the second run's queue time is over, and then the second run would rightly be served.
        var first = hog.ExecuteAsync("async () => codemode.alpha_slow({ text: '6000' })");
        await CodeModeSignals.WaitForWorkerBusyAsync(_portal);
        // The hog's second run queues behind its own first one (one slot per user) and is refused as busy...
        var second = Assert.ThrowsAsync<McpProtocolException>(async () => await hogAgain.ExecuteAsync("async () => 2"));
        Assert.That(second!.Message, Does.Contain("busy"));
        // ...while another user still gets the portal's second slot.
        Assert.That((await other.ExecuteAsync("async () => 'served'")).Json().GetString(), Is.EqualTo("served"));
        var busy = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.Outcome == "busy" && a.Tool == "portal_codemode_execute");
        Assert.That(busy.User, Does.Contain("hog"));
        await first;
    }

    [Test]
    public async Task RevokedToken_StopsTheRunAtItsNextCall()
    {
        var token = _portal.CreateToken("dev", name: "revoked");
        await using var client = await CodeModeClient.ConnectAsync(_portal, token);
        var run = client.ExecuteAsync("""
            async () => {
              await codemode.alpha_echo({ text: 'revoke-first' });
              for (;;) await codemode.alpha_echo({ text: 'revoke-loop' });
            }
            """);
        await WaitUntilAsync(() => _alpha.ReceivedArguments.Any(a => a.Contains("revoke-first")));
        var id = token.Split('_')[1];
        Assert.That(_portal.Services.GetRequiredService<PortalRuntime>().Tokens.Revoke(id), Is.True);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.That(result.IsError, Is.True);
        Assert.That(result.Text(), Does.Contain("no longer valid"));
        var row = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.ExecutionId == result.ExecutionId() && a.Tool == "portal_codemode_execute");
        Assert.That(row.Outcome, Is.EqualTo("codemode-revoked"));
        var refusal = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.ExecutionId == result.ExecutionId() && a.Outcome == "unauthenticated");
        Assert.That(refusal.Decision, Does.Contain("revoked"));
    }

    [Test]
    public async Task RefusedCalls_EachWriteOneRow()
    {
        await using var client = await ConnectAsync("refusals");
        var result = await client.ExecuteAsync("""
            async () => {
              const out = [];
              for (const args of [5, 'text', [1], { text: 'x'.repeat(4 * 1024 * 1024 + 8) }]) {
                try { await codemode.alpha_echo(args); out.push('sent'); } catch (e) { out.push(e.message); }
              }
              return out;
            }
            """);
        var messages = result.Json().EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(messages.Take(3), Is.All.Contain("must be a JSON object"));
        Assert.That(messages[3], Does.Contain("arguments larger than"));
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        var rows = db.Audit.Where(a => a.ExecutionId == result.ExecutionId() && a.Tool == "alpha_echo").Select(a => a.Outcome).ToList();
        Assert.That(rows, Is.EquivalentTo(new[] { "codemode-bad-arguments", "codemode-bad-arguments", "codemode-bad-arguments", "codemode-arguments-too-large" }));
    }

    [Test]
    public async Task SearchLoopingOnTheCatalog_StopsAtTheSearchCallLimit()
    {
        // Each codemode.tools()/declarations() answer is built by the portal at full priority and was not counted:
        // a search looping on them moved its work out of the nice-19 worker into the portal (200 tools: 7 s of
        // portal CPU in a 10 s run).
        await using var client = await ConnectAsync("catalog-loop");
        var result = await client.SearchAsync(
            "async () => { let n = 0; for (let i = 0; i < 300; i++) n += codemode.declarations(['alpha_echo']).length + codemode.tools().length; return n; }");
        Assert.That(result.IsError, Is.True, result.Text());
        Assert.That(result.Text(), Does.Contain("search call limit reached (100 "));
        var row = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.ExecutionId == result.ExecutionId() && a.Tool == "portal_codemode_search");
        Assert.That(row.Outcome, Is.EqualTo("codemode-searchcalllimit"));
        var names = (await client.SearchAsync("async () => codemode.tools().map((t) => t.name)")).Json().EnumerateArray().Select(e => e.GetString());
        Assert.That(names, Does.Contain("alpha_echo"), "an ordinary search is unaffected");
    }

    [Test]
    public async Task CodeOverTheLimit_IsRefusedAndAudited()
    {
        await using var client = await ConnectAsync("bigcode");
        var code = "async () => '" + new string('y', 100_001) + "'";
        Assert.ThrowsAsync<McpProtocolException>(async () => await client.ExecuteAsync(code));
        var row = await CodeModeSignals.WaitForAuditAsync(_portal, a => a.Outcome == "codemode-code-too-large");
        Assert.That(row.User, Does.Contain("bigcode"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!condition()) await Task.Delay(20, guard.Token);
    }
}
