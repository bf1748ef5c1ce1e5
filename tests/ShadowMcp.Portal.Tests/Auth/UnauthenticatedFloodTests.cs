using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Auth;

/// <summary>
/// A flood without credentials is counted, not journaled: the audit grows by one row per source and interval
/// however many requests arrive, the row's count is exact, and a source over its rate gets 429.
/// </summary>
[Category("Integration")]
public sealed partial class UnauthenticatedFloodTests
{
    private PortalFixture _portal = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task SetUp()
    {
        var config = PortalFixture.Config1();
        config.Portal.Unauthenticated = new UnauthenticatedSettings { SummarySeconds = 3600, PerSourcePerSecond = 5, Burst = 20 };
        _portal = await PortalFixture.StartAsync(config);
        _http = new HttpClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        _http.Dispose();
    }

    private long AuditRows()
    {
        using var db = _portal.Store.Open();
        return db.Audit.LongCount();
    }

    [Test]
    public async Task Flood_WithoutToken_GrowsStoreByOneRowPerSource()
    {
        await _portal.FlushAuditAsync();
        var before = AuditRows();
        const int Requests = 2000;
        var statuses = new int[Requests];
        await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _portal.McpUrl)
            {
                Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", Encoding.UTF8, "application/json"),
            };
            if (i % 3 == 1) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"smcp_{i:x8}_forged");
            if (i % 3 == 2) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.e30.");
            request.Headers.UserAgent.ParseAdd($"flood/{i}");
            using var response = await _http.SendAsync(request, ct);
            statuses[i] = (int)response.StatusCode;
        });
        await _portal.FlushAuditAsync();

        Assert.That(statuses, Has.All.AnyOf(401, 429));
        Assert.That(statuses.Count(s => s == 429), Is.GreaterThan(0), "a source over its rate is slowed down");
        var added = AuditRows() - before;
        Assert.That(added, Is.EqualTo(1), "one row for the one source in this interval");
        using var db = _portal.Store.Open();
        var row = db.Audit.Where(a => a.Outcome == "unauthenticated").OrderByDescending(a => a.Seq).First();
        Assert.That(row.Decision, Does.Contain("from 127.0.0.1"));
        Assert.That(long.Parse(Count().Match(row.Decision).Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(Requests));
        Assert.That(row.Decision, Does.Contain("rate-limited (429)"));
    }

    [Test]
    public async Task RateLimited_Response_CarriesRetryAfter()
    {
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 200 && limited is null; i++)
        {
            var response = await _http.PostAsync(_portal.McpUrl, new StringContent("{}", Encoding.UTF8, "application/json"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
            else response.Dispose();
        }
        Assert.That(limited, Is.Not.Null, "the burst is 20; 200 requests exceed it");
        Assert.That(limited!.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
        limited.Dispose();
    }

    [TestCase("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [TestCase("2001:db8:1:2:bbbb::7", "2001:db8:1:2::/64")]
    [TestCase("::ffff:10.0.0.7", "10.0.0.7")]
    [TestCase("192.0.2.9", "192.0.2.9")]
    public void Source_IPv6ByPrefix(string address, string source) =>
        Assert.That(UnauthenticatedTally.SourceOf(IPAddress.Parse(address)), Is.EqualTo(source));

    [GeneratedRegex(@"^(\d+) unauthenticated request")]
    private static partial Regex Count();
}
