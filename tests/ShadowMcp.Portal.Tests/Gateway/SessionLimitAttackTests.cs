using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>
/// One authenticated user against the per-user session cap: bodies the cap might not read as an initialize while the
/// MCP SDK still opens a session for them, and requests naming another user's session.
/// </summary>
[Category("Integration")]
public sealed class SessionLimitAttackTests
{
    private const string Params = "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}";

    [TestCase("[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\"," + Params + "}]", TestName = "Batch")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":7,\"Method\":\"initialize\"," + Params + "}", TestName = "KeyCase")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":7,\"\\u006dethod\":\"initi\\u0061lize\"," + Params + "}", TestName = "EscapedKeyAndValue")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"method\":\"ping\"," + Params + "}", TestName = "DuplicateKeyInitializeFirst")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}", TestName = "PingWithoutSession")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":[\"x\"],\"method\":\"initialize\"," + Params + "}", TestName = "DuplicateKeyArrayFirst")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":{\"a\":[1]},\"method\":\"initialize\"," + Params + "}", TestName = "DuplicateKeyObjectFirst")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":null,\"method\":\"initialize\"," + Params + "}", TestName = "DuplicateKeyNullFirst")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"initialize\"," + Params + "}", TestName = "ObjectId")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"method\":\"initialize\"," + Params + ",\"id\":7}", TestName = "IdLast")]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\"," + Params + "}  ", TestName = "TrailingSpace")]
    public async Task InitializeVariants_NeverExceedTheCap(string body)
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var portal = await PortalFixture.StartAsync(Config(upstream, maxSessions: 8, perUser: 2));
        try
        {
            using var http = new HttpClient();
            var token = portal.CreateToken("dev", name: "variant");
            var made = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                using var request = Request(HttpMethod.Post, portal, token, null, body);
                using var response = await http.SendAsync(request);
                if (response.Headers.TryGetValues("Mcp-Session-Id", out var ids)) made.Add(ids.Single());
            }
            var alive = 0;
            foreach (var id in made)
                if (await PingAsync(http, portal, token, id) == HttpStatusCode.OK) alive++;
            Assert.That(alive, Is.LessThanOrEqualTo(2), $"sessions made: {made.Count}");
        }
        finally { await portal.DisposeAsync(); }
    }

    [Test]
    public async Task DeleteOfAnotherUsersSessionId_LeavesItOpen()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var portal = await PortalFixture.StartAsync(Config(upstream, maxSessions: 8, perUser: 2));
        try
        {
            using var http = new HttpClient();
            var victim = portal.CreateToken("dev", name: "victim");
            var attacker = portal.CreateToken("dev", name: "attacker");
            var session = await InitializeAsync(http, portal, victim);
            using (var delete = Request(HttpMethod.Delete, portal, attacker, session, null))
            using (await http.SendAsync(delete)) { }

            Assert.That(await PingAsync(http, portal, victim, session), Is.EqualTo(HttpStatusCode.OK));
        }
        finally { await portal.DisposeAsync(); }
    }

    internal static PortalConfig Config(UpstreamServer upstream, int maxSessions, int perUser)
    {
        var config = PortalFixture.Config1(("a", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["a"] = ["*"] } };
        config.Portal.MaxSessions = maxSessions;
        config.Portal.MaxSessionsPerUser = perUser;
        return config;
    }

    private static async Task<string> InitializeAsync(HttpClient http, PortalFixture portal, string token)
    {
        using var request = Request(HttpMethod.Post, portal, token, null, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\"," + Params + "}");
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var id = response.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = Request(HttpMethod.Post, portal, token, id, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        using var ack = await http.SendAsync(initialized);
        return id;
    }

    internal static async Task<HttpStatusCode> PingAsync(HttpClient http, PortalFixture portal, string token, string session)
    {
        using var request = Request(HttpMethod.Post, portal, token, session, """{"jsonrpc":"2.0","id":2,"method":"ping"}""");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static HttpRequestMessage Request(HttpMethod method, PortalFixture portal, string token, string? session, string? body) =>
        McpRequest(method, portal, token, session, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>A request to the portal's /mcp as an MCP client sends it, with <paramref name="content"/> as its body.</summary>
    internal static HttpRequestMessage McpRequest(HttpMethod method, PortalFixture portal, string token, string? session, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, portal.McpUrl) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        if (session is not null) request.Headers.Add("Mcp-Session-Id", session);
        return request;
    }
}
