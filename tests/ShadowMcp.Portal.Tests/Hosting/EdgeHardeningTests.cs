using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Hosting;

/// <summary>
/// The portal's edges: foreign origins that are not web origins (file://, null), malformed JSON, and what
/// /health tells a caller who has not authenticated.
/// </summary>
[Category("Integration")]
public sealed class EdgeHardeningTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl), ("secret-backend", "http://127.0.0.1:9/mcp"));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
        await _portal.Registry.EnsureRefreshedAsync();
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
        _http.Dispose();
    }

    [TestCase("file://")]
    [TestCase("file:///etc/passwd")]
    [TestCase("file://localhost")]
    [TestCase("null")]
    [TestCase("chrome-extension://abcdef")]
    [TestCase("ws://localhost")]
    public async Task Post_NonWebOrigin_Is403(string origin)
    {
        using var request = Post(_portal.CreateToken("dev"), Initialize);
        request.Headers.Add("Origin", origin);
        using var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("{not json")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"initialize",""")]
    [TestCase("\u00ff\u00fe")]
    public async Task Post_InvalidJson_IsParseError(string body)
    {
        using var request = Post(_portal.CreateToken("dev"), body);
        using var response = await _http.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-32700));
    }

    [Test]
    public async Task Post_ValidJsonButNotJsonRpc_IsNotParseError()
    {
        using var request = Post(_portal.CreateToken("dev"), "[]");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(text, Does.Not.Contain("-32700"));
    }

    [Test]
    public async Task Health_Anonymous_ShowsNoUpstreamIdsOrErrors()
    {
        var text = await _http.GetStringAsync(_portal.BaseUrl + "/health");
        Assert.That(text, Does.Contain("degraded"));
        Assert.That(text, Does.Not.Contain("secret-backend").And.Not.Contain("alpha").And.Not.Contain("127.0.0.1"));
    }

    [Test]
    public async Task Health_Authenticated_ShowsDetails()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _portal.BaseUrl + "/health");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _portal.CreateToken("dev"));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("secret-backend").And.Contain("alpha"));
    }

    [Test]
    public async Task Health_ForgedToken_ShowsNoDetails()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _portal.BaseUrl + "/health");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "smcp_feedface_forged");
        using var response = await _http.SendAsync(request);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("secret-backend"));
    }

    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private HttpRequestMessage Post(string bearer, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _portal.McpUrl) { Content = new StringContent(body, Encoding.Latin1, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }
}
