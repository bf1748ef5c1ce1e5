using System.Net;
using System.Net.Http.Headers;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>limits.requestsPerMinute: refused before the MCP layer with HTTP 429 and Retry-After, per user.</summary>
[Category("Integration")]
public sealed class RequestLimitTests
{
    [Test]
    public async Task OverRequestsPerMinute_Gets429WithRetryAfter_OtherUsersUnaffected_AuditedSummarised()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("a", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["a"] = ["*"] } };
        config.Portal.Limits.RequestsPerMinute = 60; // a burst of 10, then one a second
        var portal = await PortalFixture.StartAsync(config);
        try
        {
            using var http = new HttpClient();
            var flooder = portal.CreateToken("dev", name: "flooder");
            var statuses = new List<HttpResponseMessage>();
            for (var i = 0; i < 40; i++) statuses.Add(await Ping(http, portal, flooder));
            var refused = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.That(refused, Is.Not.Empty);
            Assert.That(statuses.Take(10).Select(r => r.StatusCode), Has.None.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused[0].Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(await refused[0].Content.ReadAsStringAsync(), Does.Contain("-32007"));

            var other = await Ping(http, portal, portal.CreateToken("dev", name: "other"));
            Assert.That(other.StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests));

            await portal.FlushAuditAsync();
            using var db = portal.Store.Open();
            var rows = db.Audit.Where(a => a.Outcome == "rate-limited").ToList();
            Assert.That(rows, Has.Count.EqualTo(1), "one row summarises the refusals of a minute");
            Assert.That(rows[0].Decision, Does.Contain("request(s) over requestsPerMinute=60"));
        }
        finally { await portal.DisposeAsync(); }
    }

    private static async Task<HttpResponseMessage> Ping(HttpClient http, PortalFixture portal, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, portal.McpUrl)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await http.SendAsync(request);
    }
}
