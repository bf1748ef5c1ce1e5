using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>
/// Redirect mode: the enforcer answers a shadow MCP host name with the portal's address. A client arriving under
/// that name must learn where the sanctioned portal is, and the attempt is audited as a conversion.
/// </summary>
[Category("Integration")]
public sealed class ShadowRedirectTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.Portal.PublicUrl = "https://mcp.corp.example";
        config.Portal.ShadowRedirect = new ShadowRedirectSettings { Hosts = ["mcp.rogue.example", "*.notion-mcp.example"], AccessUrl = "https://it.corp.example/mcp-access" };
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
        _http.Dispose();
    }

    [TestCase("mcp.rogue.example")]
    [TestCase("eu.notion-mcp.example")]
    public async Task Initialize_UnderRedirectedShadowHost_GetsJsonRpcErrorNamingThePortal(string shadowHost)
    {
        using var request = Initialize(shadowHost, id: 41);
        using var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(doc.RootElement.GetProperty("id").GetInt32(), Is.EqualTo(41), "the client must be able to match the answer to its request");
            Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(-32010));
            Assert.That(error.GetProperty("message").GetString(), Does.Contain(shadowHost).And.Contain("https://mcp.corp.example/mcp")
                .And.Contain("https://it.corp.example/mcp-access"));
        });

        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        var row = db.Audit.AsEnumerable().Last(a => a.Server == shadowHost);
        Assert.Multiple(() =>
        {
            Assert.That(row.Decision, Does.StartWith("conversion"));
            Assert.That(row.Outcome, Is.EqualTo("redirected"));
            Assert.That(row.ClientName, Is.EqualTo("cursor-like-client"));
            Assert.That(row.Method, Is.EqualTo("initialize"));
        });
    }

    /// <summary>
    /// Anyone can send a redirected Host header without a token: a flood of them writes one conversion row per
    /// source and host per interval and one counted summary row, not a row per request (issue 10, Major 6).
    /// </summary>
    [Test]
    public async Task Flood_UnderRedirectedShadowHost_WritesBoundedRows_AndCountsTheRest()
    {
        const string Host = "flood.notion-mcp.example";
        const int Requests = 300;
        await _portal.FlushAuditAsync();
        long before;
        using (var db = _portal.Store.Open()) before = db.Audit.LongCount();
        await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var request = Initialize(Host, id: i);
            using var response = await _http.SendAsync(request, ct);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
        await _portal.FlushAuditAsync();

        using var after = _portal.Store.Open();
        var added = after.Audit.Where(a => a.Seq > before).ToList();
        Assert.That(added.Count(a => a.Outcome == "redirected" && a.Server == Host), Is.EqualTo(1), "one conversion row");
        var summary = added.Single(a => a.Outcome == "unauthenticated");
        Assert.That(summary.Decision, Does.StartWith($"{Requests - 1} unauthenticated request(s) from 127.0.0.1")
            .And.Contain($"redirected from a shadow host x{Requests - 1}"));
        Assert.That(added, Has.Count.EqualTo(2), string.Join("\n", added.Select(a => $"{a.Outcome}: {a.Decision}")));
    }

    [Test]
    public async Task Initialize_UnderOtherForeignHost_IsStillAPlainRebindingRejection()
    {
        using var request = Initialize("evil.example", id: 7);
        using var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("is not allowed").And.Not.Contain("portal"));
    }

    private HttpRequestMessage Initialize(string host, int id)
    {
        var body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"cursor-like-client\",\"version\":\"1.2\"}}}";
        var request = new HttpRequestMessage(HttpMethod.Post, _portal.McpUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Host = host;
        return request;
    }
}
