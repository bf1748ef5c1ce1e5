using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Auth;

/// <summary>Default deny: every way in without valid credentials ends in 401 and the RFC 9728 pointer.</summary>
[Category("Integration")]
public sealed class PortalAuthTests
{
    private UpstreamServer _upstream = null!;
    private JwtIssuer _idp = null!;
    private PortalFixture _portal = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _upstream = await UpstreamServer.StartAsync();
        _idp = await JwtIssuer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _upstream.McpUrl));
        config.Auth.Jwt = new JwtSettings { Issuer = JwtIssuer.Issuer, Audience = JwtIssuer.Audience, JwksUrl = _idp.JwksUrl, GroupClaim = "groups" };
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _idp.DisposeAsync();
        await _upstream.DisposeAsync();
        _http.Dispose();
    }

    [Test]
    public async Task Post_WithoutToken_Is401WithResourceMetadata()
    {
        using var response = await PostInitialize(null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.That(challenge, Does.StartWith("Bearer resource_metadata=\""));
        Assert.That(challenge, Does.Contain(_portal.BaseUrl + "/.well-known/oauth-protected-resource"));
    }

    [Test]
    public async Task Post_Rejected_IsAuditedWithReason()
    {
        using var response = await PostInitialize("smcp_feedface_forged");
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        var row = db.Audit.Where(a => a.Outcome == "unauthenticated").OrderByDescending(a => a.Seq).First();
        Assert.That(row.Decision, Does.Contain("from 127.0.0.1").And.Contain("unknown token x"));
        Assert.That(row.Method, Is.EqualTo("HTTP unauthenticated"));
    }

    [Test]
    public async Task ResourceMetadata_NamesResourceAndIssuer()
    {
        var json = await _http.GetStringAsync(_portal.BaseUrl + "/.well-known/oauth-protected-resource/mcp");
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("resource").GetString(), Is.EqualTo(_portal.McpUrl));
        Assert.That(doc.RootElement.GetProperty("authorization_servers")[0].GetString(), Is.EqualTo(JwtIssuer.Issuer));
    }

    private static IEnumerable<TestCaseData> Credentials()
    {
        yield return new TestCaseData("garbage", HttpStatusCode.Unauthorized).SetName("Post_UnknownApiTokenShape_Is401");
        yield return new TestCaseData("smcp_deadbeef_notreal", HttpStatusCode.Unauthorized).SetName("Post_UnknownApiToken_Is401");
        yield return new TestCaseData("api:dev", HttpStatusCode.OK).SetName("Post_ValidApiToken_IsAccepted");
        yield return new TestCaseData("api:revoked", HttpStatusCode.Unauthorized).SetName("Post_RevokedApiToken_Is401");
        yield return new TestCaseData("api:expired", HttpStatusCode.Unauthorized).SetName("Post_ExpiredApiToken_Is401");
        yield return new TestCaseData("jwt:ok", HttpStatusCode.OK).SetName("Post_ValidJwt_IsAccepted");
        yield return new TestCaseData("jwt:issuer", HttpStatusCode.Unauthorized).SetName("Post_JwtFromWrongIssuer_Is401");
        yield return new TestCaseData("jwt:audience", HttpStatusCode.Unauthorized).SetName("Post_JwtForWrongAudience_Is401");
        yield return new TestCaseData("jwt:expired", HttpStatusCode.Unauthorized).SetName("Post_ExpiredJwt_Is401");
        yield return new TestCaseData("jwt:key", HttpStatusCode.Unauthorized).SetName("Post_JwtSignedByUnknownKey_Is401");
    }

    [TestCaseSource(nameof(Credentials))]
    public async Task Post_Credential_StatusMatches(string credential, HttpStatusCode expected)
    {
        using var response = await PostInitialize(Resolve(credential));
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        if (expected == HttpStatusCode.Unauthorized)
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("resource_metadata="));
    }

    [Test]
    public async Task JwtGroupClaim_DrivesPolicy()
    {
        var dev = await _portal.ConnectAsync(_idp.Mint("alice", ["dev"]));
        var other = await _portal.ConnectAsync(_idp.Mint("bob", ["sales"]));
        Assert.That((await dev.ListToolsAsync()).Select(t => t.Name), Does.Contain("alpha_echo"));
        Assert.That((await other.ListToolsAsync()).Select(t => t.Name), Is.EqualTo(new[] { "portal_list_servers" }));
    }

    [Test]
    public async Task TokenRevokedMidSession_NextRequestIs401()
    {
        var runtime = (ShadowMcp.Portal.Hosting.PortalRuntime)_portal.Services.GetService(typeof(ShadowMcp.Portal.Hosting.PortalRuntime))!;
        var (row, token) = runtime.Tokens.Create("dev", "mid-session", null);
        var client = await _portal.ConnectAsync(token);
        await client.ListToolsAsync();
        runtime.Tokens.Revoke(row.Id);
        Assert.That(async () => await client.ListToolsAsync(), Throws.Exception);
    }

    private string? Resolve(string credential)
    {
        var runtime = (ShadowMcp.Portal.Hosting.PortalRuntime)_portal.Services.GetService(typeof(ShadowMcp.Portal.Hosting.PortalRuntime))!;
        switch (credential)
        {
            case "api:dev": return _portal.CreateToken("dev");
            case "api:revoked":
                var (row, token) = runtime.Tokens.Create("dev", null, null);
                runtime.Tokens.Revoke(row.Id);
                return token;
            case "api:expired": return _portal.CreateToken("dev", TimeSpan.FromMilliseconds(-1));
            case "jwt:ok": return _idp.Mint("alice", ["dev"]);
            case "jwt:issuer": return _idp.Mint("alice", ["dev"], issuer: "https://evil.test.invalid");
            case "jwt:audience": return _idp.Mint("alice", ["dev"], audience: "someone-else");
            case "jwt:expired": return _idp.Mint("alice", ["dev"], expiresIn: TimeSpan.FromMinutes(-10));
            case "jwt:key": return _idp.Mint("alice", ["dev"], wrongKey: true);
            default: return credential;
        }
    }

    private async Task<HttpResponseMessage> PostInitialize(string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _portal.McpUrl)
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await _http.SendAsync(request);
    }
}
