using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>
/// Bulkheads through the live portal with real SDK clients: a hung upstream fills only its own slots, a heavy
/// caller only its own share, and refusals (busy, rate limited) are clear errors with one audit row each.
/// </summary>
[Category("Integration")]
public sealed class BulkheadTests
{
    private const string Hang = "600000"; // the slow tool sleeps this long: it only ends when the test ends

    private static async Task<(UpstreamServer A, UpstreamServer B, PortalFixture Portal)> StartAsync(Action<LimitSettings> limits)
    {
        var a = await UpstreamServer.StartAsync();
        var b = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("a", a.McpUrl), ("b", b.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["a"] = ["*"], ["b"] = ["*"] } };
        limits(config.Portal.Limits);
        return (a, b, await PortalFixture.StartAsync(config));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only
        while (!condition()) await Task.Delay(20, guard.Token);
    }

    private static Task<CallToolResult> Call(McpClient client, string tool, string text) =>
        client.CallToolAsync(tool, new Dictionary<string, object?> { ["text"] = text }).AsTask();

    [Test]
    public async Task HungUpstream_140CallsOnA_CallerOfBStillAnswered()
    {
        var (a, b, portal) = await StartAsync(l => { l.PerUpstream = 32; l.PerCaller = 16; l.QueueLimit = 200; l.QueueSeconds = 120; });
        try
        {
            var admission = portal.Services.GetRequiredService<CallAdmission>();
            var clients = new List<McpClient>();
            for (var u = 0; u < 10; u++) clients.Add(await portal.ConnectAsync(portal.CreateToken("dev")));
            var hung = Enumerable.Range(0, 140).Select(i => Call(clients[i % 10], "a_slow", Hang)).ToList();
            await WaitUntilAsync(() => admission.AvailableSlots("a") == 0 && admission.Queued("a") > 0);

            // Every caller, including those whose calls hang on A, still gets answers from B.
            foreach (var client in clients)
            {
                var answer = await Call(client, "b_echo", "still here");
                Assert.That(((TextContentBlock)answer.Content[0]).Text, Is.EqualTo("echo: still here"));
            }
            Assert.That(hung.Any(t => t.IsCompletedSuccessfully), Is.False, "the slow calls are still hung");
            Assert.That(admission.AvailableSlots("b"), Is.GreaterThan(0));
        }
        finally
        {
            await portal.DisposeAsync();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Test]
    public async Task HeavyUser_FloodsUpstream_AnotherUserStillGetsIn()
    {
        var (a, b, portal) = await StartAsync(l => { l.PerUpstream = 8; l.PerCaller = 4; l.QueueLimit = 100; l.QueueSeconds = 120; });
        try
        {
            var admission = portal.Services.GetRequiredService<CallAdmission>();
            var heavy = await portal.ConnectAsync(portal.CreateToken("dev", name: "heavy"));
            var light = await portal.ConnectAsync(portal.CreateToken("dev", name: "light"));
            var flood = Enumerable.Range(0, 40).Select(_ => Call(heavy, "a_slow", Hang)).ToList();
            // The heavy user holds its share (4 of 8 slots) and the rest of its calls wait in its own queue.
            await WaitUntilAsync(() => admission.AvailableSlots("a") == 4);

            var answer = await Call(light, "a_echo", "my turn");
            Assert.That(((TextContentBlock)answer.Content[0]).Text, Is.EqualTo("echo: my turn"));
            Assert.That(flood.Any(t => t.IsCompleted), Is.False);
        }
        finally
        {
            await portal.DisposeAsync();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Test]
    public async Task Busy_RefusedWithClearErrorAndOneAuditRow()
    {
        var (a, b, portal) = await StartAsync(l => { l.PerUpstream = 1; l.PerCaller = 1; l.QueueLimit = 0; });
        try
        {
            var admission = portal.Services.GetRequiredService<CallAdmission>();
            var client = await portal.ConnectAsync(portal.CreateToken("dev"));
            _ = Call(client, "a_slow", Hang);
            await WaitUntilAsync(() => admission.AvailableSlots("a") == 0);

            var e = Assert.ThrowsAsync<McpProtocolException>(() => Call(client, "a_echo", "x"));
            Assert.That((int)e!.ErrorCode, Is.EqualTo(PortalErrors.Busy));
            Assert.That(e.Message, Does.Contain("in flight"));
            await portal.FlushAuditAsync();
            using var db = portal.Store.Open();
            var rows = db.Audit.Where(r => r.Tool == "a_echo").ToList();
            Assert.That(rows, Has.Count.EqualTo(1));
            Assert.That(rows[0].Outcome, Is.EqualTo("busy"));
            Assert.That(rows[0].Decision, Does.Contain("in flight"));
        }
        finally
        {
            await portal.DisposeAsync();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Test]
    public async Task RateLimit_PerUserAndTool_RefusesWithRetryAfterAndAuditsIt()
    {
        var (a, b, portal) = await StartAsync(l => l.Rates.Add(new RateLimitRule { Tool = "a_*", PerMinute = 1, Burst = 2 }));
        try
        {
            var first = await portal.ConnectAsync(portal.CreateToken("dev"));
            var other = await portal.ConnectAsync(portal.CreateToken("dev"));
            await Call(first, "a_echo", "1");
            await Call(first, "a_echo", "2");
            var e = Assert.ThrowsAsync<McpProtocolException>(() => Call(first, "a_echo", "3"));
            Assert.That((int)e!.ErrorCode, Is.EqualTo(PortalErrors.RateLimited));
            Assert.That(e.Message, Does.Contain("retry after"));
            // Another token has its own bucket, and other tools are not counted.
            await Call(other, "a_echo", "1");
            await Call(first, "b_echo", "free");
            await portal.FlushAuditAsync();
            using var db = portal.Store.Open();
            Assert.That(db.Audit.Count(r => r.Outcome == "rate-limited"), Is.EqualTo(1));
        }
        finally
        {
            await portal.DisposeAsync();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }
}
