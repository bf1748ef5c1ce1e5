using System.Net;
using ShadowMcp.Admin.Sources;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// How "Currently blocked" and "Not blockable" render what a source reports: hostile names stay text, a TTL that
/// has lapsed says it waits for the sweep, and a source that cannot tell says so instead of "nothing is blocked".
/// </summary>
internal sealed class CurrentlyBlockedPageTests
{
    private const string Hostile = "evil.example\"><img src=x onerror=alert(7)>";

    private readonly StoppedClock _clock = new();
    private AdminHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await AdminHost.StartAsync(time: _clock);

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private async Task<string> PageAsync()
    {
        using var client = new AdminHttpClient(_host);
        await client.LoginAsync();
        using var response = await client.GetAsync("/admin/enforcement");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    [Test]
    public async Task HostileNamesInEveryColumn_StayText()
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        _host.Enforcement!.Blocked = [new CurrentBlockView(Hostile, "<b>fw</b>", "<i>drop</i>", "1\"><script>alert(8)</script>", now, null, "<u>held</u>")];
        _host.Enforcement.NotBlockable = [new UnblockableEndpointView(Hostile, ["<s>nftables</s>"])];

        var html = await PageAsync();

        foreach (var raw in new[] { "<img", "<script>alert(8)", "<b>fw", "<i>drop", "<u>held", "<s>nftables" })
            Assert.That(html, Does.Not.Contain(raw));
        Assert.That(html, Does.Contain("&lt;img src=x onerror=alert(7)&gt;"));
        Assert.That(html, Does.Contain("data-test=\"expires\">no TTL</td>"));
    }

    [Test]
    public async Task Ttl_ShowsTimeLeftAndALapsedOneWaitsForTheSweep()
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        _host.Enforcement!.Blocked =
        [
            new CurrentBlockView("a.example", "hosts", "block", "3", now.AddDays(-1), now.AddDays(2).AddHours(3), "held"),
            new CurrentBlockView("b.example", "hosts", "block", "4", now.AddDays(-1), now.AddMinutes(-5), "held"),
            new CurrentBlockView("a.example", "dnsmasq", "block", "5", now.AddDays(-1), now.AddSeconds(30), "unverified: the backend could not be read"),
        ];

        var html = await PageAsync();

        Assert.That(html, Does.Contain("<p data-test=\"blocked-count\">2 endpoint(s) on 2 backend(s).</p>"), "endpoints are counted, not rows");
        Assert.That(html, Does.Contain("(in 2 d 3 h)</td>"));
        Assert.That(html, Does.Contain("(lapsed; lifted at the next expiry sweep)</td>"));
        Assert.That(html, Does.Contain("(in 1 min)</td>"));
        Assert.That(html, Does.Contain("<td data-test=\"verification\">unverified: the backend could not be read</td>"));
        Assert.That(html.IndexOf("data-endpoint=\"a.example\" data-backend=\"dnsmasq\"", StringComparison.Ordinal),
            Is.LessThan(html.IndexOf("data-endpoint=\"a.example\" data-backend=\"hosts\"", StringComparison.Ordinal)), "rows sorted by endpoint, then backend");
    }

    [Test]
    public async Task SourceThatCannotTell_SaysSoInsteadOfNothingBlocked()
    {
        _host.Enforcement!.Blocked = null;

        var html = await PageAsync();

        Assert.That(html, Does.Contain("What the backends hold cannot be shown"));
        Assert.That(html, Does.Not.Contain("nothing-blocked"));
        Assert.That(html, Does.Not.Contain("Not blockable by the configured backends"), "no list when the source reports none");
    }
}
