using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ModelContextProtocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>DNS-rebinding defence (Host and Origin), body size limit and upstream timeout.</summary>
[Category("Integration")]
public sealed class HardeningTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.Upstreams[0].TimeoutSeconds = 1;
        config.Portal.MaxRequestBytes = 4096;
        config.Portal.AllowedOrigins.Add("https://agents.example.com");
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

    [TestCase("evil.example", null, HttpStatusCode.Forbidden, TestName = "Post_ForeignHostHeader_Is403")]
    [TestCase(null, "http://evil.example", HttpStatusCode.Forbidden, TestName = "Post_ForeignOrigin_Is403")]
    [TestCase(null, "http://localhost:3000", HttpStatusCode.OK, TestName = "Post_LoopbackOrigin_IsAccepted")]
    [TestCase(null, "https://agents.example.com", HttpStatusCode.OK, TestName = "Post_ConfiguredOrigin_IsAccepted")]
    public async Task Post_HostAndOrigin_AreChecked(string? host, string? origin, HttpStatusCode expected)
    {
        using var request = Initialize(_portal.CreateToken("dev"), "{}");
        if (host is not null) request.Headers.Host = host;
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task Post_BodyOverLimit_Is413()
    {
        using var request = Initialize(_portal.CreateToken("dev"), "{\"pad\":\"" + new string('x', 8000) + "\"}");
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task CallTool_SlowUpstream_TimesOutWithClearError()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("dev"));
        var e = Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("alpha_slow", new Dictionary<string, object?> { ["text"] = "5000" }));
        Assert.That((int)e!.ErrorCode, Is.EqualTo(PortalErrors.UpstreamUnavailable));
        Assert.That(e.Message, Does.Contain("no answer within 1s"));
        var again = await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "still up" });
        Assert.That(again.IsError, Is.Not.True);
    }

    private HttpRequestMessage Initialize(string bearer, string extra)
    {
        var body = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"},"_x":""" + extra + "}}";
        var request = new HttpRequestMessage(HttpMethod.Post, _portal.McpUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        // One connection per request: a refusal (413 before the body is read) makes the portal close its connection,
        // and the next case could otherwise take that connection from the pool just as it closes.
        request.Headers.ConnectionClose = true;
        return request;
    }
}
