using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Auth;

/// <summary>
/// A 60-second unauthenticated flood on a fake clock, against the real audit log and store: many sources, many
/// reasons, far more requests than rows. The store grows by at most (sources cap + 1) rows per interval, each
/// row of bounded size, and the counts still add up to every request.
/// </summary>
public sealed partial class UnauthenticatedTallyTests
{
    private const int Seconds = 60;
    private const int IntervalSeconds = 10;
    private const int MaxSources = 8;
    private const int SourcesPerSecond = 40;
    private const int RequestsPerSource = 25;

    [Test]
    public async Task Flood_Of60Seconds_GrowsTheStoreByABoundedNumberOfRows()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new PortalStore(Path.Combine(TempDir.Create(), "flood.db"));
        var config = new PortalConfig();
        config.Portal.Unauthenticated = new UnauthenticatedSettings
        {
            SummarySeconds = IntervalSeconds, MaxSources = MaxSources, PerSourcePerSecond = 5, Burst = 10,
        };
        await using var audit = new AuditLog(store, time);
        long requests = 0;
        await using (var tally = new UnauthenticatedTally(config, audit, time))
        {
            for (var second = 0; second < Seconds; second++)
            {
                for (var s = 0; s < SourcesPerSecond; s++)
                {
                    // Fresh addresses every second, IPv4 and IPv6, and attacker-chosen reasons (token ids).
                    var address = s % 2 == 0
                        ? IPAddress.Parse($"198.51.{second}.{s}")
                        : IPAddress.Parse($"2001:db8:{second:x}:{s:x}::1");
                    for (var r = 0; r < RequestsPerSource; r++, requests++)
                        tally.Count(address, $"token {second * 1000 + s * 10 + r} revoked");
                }
                time.Advance(TimeSpan.FromSeconds(1)); // the summary timer fires every IntervalSeconds of this
            }
        }
        await audit.FlushAsync();

        using var db = store.Open();
        var rows = db.Audit.Where(a => a.Outcome == "unauthenticated").Select(a => a.Decision!).ToList();
        const int Intervals = Seconds / IntervalSeconds;
        Assert.That(rows, Has.Count.EqualTo(Intervals * (MaxSources + 1)), "per interval: the capped sources and one shared row");
        Assert.That(db.Audit.Count(), Is.EqualTo(rows.Count), "nothing else was written");
        Assert.That(rows.Sum(d => long.Parse(Count().Match(d).Groups[1].Value, CultureInfo.InvariantCulture)), Is.EqualTo(requests),
            "every refused request is counted");
        Assert.That(rows.Count(d => d.Contains("from other sources", StringComparison.Ordinal)), Is.EqualTo(Intervals));
        // 16 reasons and "other" per row: a row's size does not grow with the attacker's variety.
        Assert.That(rows.Max(d => d.Length), Is.LessThan(1024), rows.MaxBy(d => d.Length));
        Assert.That(AuditVerifier.Verify(store), Is.Empty);
    }

    [Test]
    public async Task QuietInterval_WritesNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new PortalStore(Path.Combine(TempDir.Create(), "quiet.db"));
        var config = new PortalConfig();
        config.Portal.Unauthenticated = new UnauthenticatedSettings { SummarySeconds = IntervalSeconds };
        await using var audit = new AuditLog(store, time);
        await using (var tally = new UnauthenticatedTally(config, audit, time))
        {
            tally.Count(IPAddress.Loopback, "no bearer token");
            time.Advance(TimeSpan.FromSeconds(IntervalSeconds));
            time.Advance(TimeSpan.FromSeconds(IntervalSeconds * 5));
        }
        await audit.FlushAsync();

        using var db = store.Open();
        var decisions = db.Audit.Select(a => a.Decision).ToList();
        Assert.That(decisions, Is.EqualTo(new[] { "1 unauthenticated request(s) from 127.0.0.1 in 10s: no bearer token x1" }));
    }

    [GeneratedRegex(@"^(\d+) unauthenticated request")]
    private static partial Regex Count();
}
