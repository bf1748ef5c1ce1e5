using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;
using System.Text.Json;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Tests.Upstreams;

/// <summary>
/// Upstream deadlines run on the portal's TimeProvider: a hung tool times out when fake time passes its timeout,
/// and a paused clock (the upstream waiting on the caller) does not expire however much time passes.
/// </summary>
[Category("Integration")]
public sealed class UpstreamDeadlineTests
{
    private const string ServerId = "s";
    private UpstreamServer _server = null!;
    private FakeTimeProvider _time = null!;
    private UpstreamConnection _upstream = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await UpstreamServer.StartAsync();
        _time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var store = new PortalStore(Path.Combine(TempDir.Create(), "p.db"));
        _upstream = new UpstreamConnection(new UpstreamConfig { Id = ServerId, Url = _server.McpUrl, TimeoutSeconds = 30 },
            new PinKeeper(store, _time, NullLogger<PinKeeper>.Instance), _time, NullLoggerFactory.Instance);
        await _upstream.RefreshAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _upstream.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task AHungCall_TimesOutWhenFakeTimePassesTheTimeout()
    {
        var clocks = new UpstreamClocks();
        var call = Slow(clocks, TimeSpan.FromMinutes(10));
        await InFlightAsync(clocks);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(call.IsFaulted, Is.False, "a second before the deadline the call is still waiting");
        _time.Advance(TimeSpan.FromSeconds(2));

        var e = Assert.ThrowsAsync<UpstreamUnavailableException>(async () => await call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(e!.TimedOut, Is.True);
        Assert.That(e.Message, Does.Contain("no answer within 30s"));
    }

    [Test]
    public async Task APausedClock_DoesNotExpire_AndRestartsInFullWhenResumed()
    {
        var clocks = new UpstreamClocks();
        var call = Slow(clocks, TimeSpan.FromMinutes(10));
        await InFlightAsync(clocks);

        using (clocks.Pause(ServerId)) _time.Advance(TimeSpan.FromHours(1));
        // Resumed: the full 30 s again, counted from now.
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(call.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromSeconds(2));
        var e = Assert.ThrowsAsync<UpstreamUnavailableException>(async () => await call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(e!.TimedOut, Is.True);
    }

    [Test]
    public async Task APausedClock_LetsASlowAnswerArrive()
    {
        var clocks = new UpstreamClocks();
        using var pause = clocks.Pause(ServerId);
        var call = Slow(clocks, TimeSpan.FromMilliseconds(300));
        await InFlightAsync(clocks);

        _time.Advance(TimeSpan.FromHours(1)); // without the pause this cancels the call at once

        var result = await call.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("done"));
    }

    private Task<CallToolResult> Slow(UpstreamClocks clocks, TimeSpan lasting) =>
        _upstream.CallToolAsync("slow", new Dictionary<string, JsonElement>
        {
            ["text"] = JsonSerializer.SerializeToElement(((long)lasting.TotalMilliseconds).ToString()),
        }, progress: null, session: null, CancellationToken.None, clocks);

    /// <summary>Waits for the call's deadline to be registered (a signal, not a guess at timing).</summary>
    private static async Task InFlightAsync(UpstreamClocks clocks)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!clocks.Running(ServerId)) await Task.Delay(5, guard.Token);
    }
}
