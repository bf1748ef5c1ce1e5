using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Telemetry;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>
/// portal.maxSessionsPerUser and portal.maxSessions: one user who opens sessions and never ends them (initialize,
/// then nothing) must not push other users' idle sessions out. Before these limits the MCP SDK's own cap closed
/// whichever session had been idle longest, whoever owned it, and that user's next request got 404.
/// </summary>
[Category("Integration")]
public sealed class SessionLimitTests
{
    [Test]
    public async Task OneUserOpensManySessions_OtherUsersIdleSessionSurvives_OwnOldestClosedAndAudited()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = Config(upstream, maxSessions: 6, perUser: 3);
        var portal = await PortalFixture.StartAsync(config);
        try
        {
            using var http = new HttpClient();
            var victim = portal.CreateToken("dev", name: "victim");
            var flooder = portal.CreateToken("dev", name: "flooder");
            using var limited = new LimitedActions(portal);
            var victimSession = await InitializeAsync(http, portal, victim);

            var flooded = new List<string>();
            for (var i = 0; i < 3 + 4; i++) flooded.Add(await InitializeAsync(http, portal, flooder));

            Assert.That(await PingAsync(http, portal, victim, victimSession), Is.EqualTo(HttpStatusCode.OK),
                "another user's idle session must not be closed to make room");
            for (var i = 0; i < 4; i++)
                Assert.That(await PingAsync(http, portal, flooder, flooded[i]), Is.EqualTo(HttpStatusCode.NotFound),
                    $"the flooder's session {i} (among its oldest) is closed");
            for (var i = 4; i < 7; i++)
                Assert.That(await PingAsync(http, portal, flooder, flooded[i]), Is.EqualTo(HttpStatusCode.OK),
                    $"the flooder's newest sessions ({i}) stay, up to its cap");

            await portal.FlushAuditAsync();
            using var db = portal.Store.Open();
            var evicted = db.Audit.Where(a => a.Outcome == "session-evicted").ToList();
            Assert.That(evicted, Has.Count.EqualTo(4));
            Assert.That(evicted.Select(a => a.User).Distinct().Single(), Does.Contain("flooder"));
            Assert.That(evicted[0].Decision, Does.Contain("maxSessionsPerUser=3"));
            Assert.That(evicted[0].Method, Is.EqualTo("initialize"));
            Assert.That(limited.Actions, Is.EqualTo(Enumerable.Repeat("evicted", 4)));
        }
        finally { await portal.DisposeAsync(); }
    }

    [Test]
    public async Task ConcurrentInitializesOfOneUser_NeverExceedItsCap_OtherUserUntouched()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = Config(upstream, maxSessions: 6, perUser: 3);
        var portal = await PortalFixture.StartAsync(config);
        try
        {
            using var http = new HttpClient();
            var victim = portal.CreateToken("dev", name: "victim");
            var flooder = portal.CreateToken("dev", name: "flooder");
            var victimSession = await InitializeAsync(http, portal, victim);

            var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => SendInitializeAsync(http, portal, flooder)));
            var made = responses.Where(r => r.StatusCode == HttpStatusCode.OK).Select(r => r.Headers.GetValues("Mcp-Session-Id").Single()).ToList();
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.TooManyRequests));
            foreach (var r in responses) r.Dispose();

            var alive = 0;
            foreach (var id in made)
                if (await PingAsync(http, portal, flooder, id) == HttpStatusCode.OK) alive++;
            Assert.That(alive, Is.InRange(1, 3), "the flooder holds at most its cap");
            Assert.That(await PingAsync(http, portal, victim, victimSession), Is.EqualTo(HttpStatusCode.OK));
            var held = portal.Services.GetRequiredService<ShadowMcp.Portal.Relay.CallerSessions>().Count;
            Assert.That(held, Is.EqualTo(alive + 1), "every reservation was given back or became a session");
        }
        finally { await portal.DisposeAsync(); }
    }

    [Test]
    public async Task UserAtCapWithEverySessionBusy_IsRefusedWithJsonRpcError_AndAudited()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = Config(upstream, maxSessions: 10, perUser: 2);
        var portal = await PortalFixture.StartAsync(config);
        var streams = new List<HttpResponseMessage>();
        try
        {
            using var http = new HttpClient();
            var token = portal.CreateToken("dev", name: "busy");
            using var limited = new LimitedActions(portal);
            for (var i = 0; i < 2; i++)
            {
                var id = await InitializeAsync(http, portal, token);
                // An open GET stream (the way SDK clients listen for the server's messages) keeps a session busy.
                streams.Add(await OpenStreamAsync(http, portal, token, id));
            }

            using var refused = await SendInitializeAsync(http, portal, token);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(body, Does.Contain("-32009").And.Contain("maxSessionsPerUser=2").And.Contain("\"id\":7"));
            Assert.That(refused.Headers.Contains("Mcp-Session-Id"), Is.False);

            await portal.FlushAuditAsync();
            using var db = portal.Store.Open();
            var rows = db.Audit.Where(a => a.Outcome == "session-limit").ToList();
            Assert.That(rows, Has.Count.EqualTo(1));
            Assert.That(rows[0].User, Does.Contain("busy"));
            Assert.That(rows[0].Decision, Does.Contain("busy"));
            Assert.That(db.Audit.Count(a => a.Outcome == "session-evicted"), Is.Zero, "a busy session is never closed");
            Assert.That(limited.Actions, Is.EqualTo(new[] { "refused-user" }));
        }
        finally
        {
            foreach (var s in streams) s.Dispose();
            await portal.DisposeAsync();
        }
    }

    [Test]
    public async Task PortalFull_NewSessionRefused_NobodysSessionClosed()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = Config(upstream, maxSessions: 4, perUser: 3);
        var portal = await PortalFixture.StartAsync(config);
        try
        {
            using var http = new HttpClient();
            var a = portal.CreateToken("dev", name: "a");
            var b = portal.CreateToken("dev", name: "b");
            var held = new List<(string Token, string Id)>();
            for (var i = 0; i < 3; i++) held.Add((a, await InitializeAsync(http, portal, a)));
            held.Add((b, await InitializeAsync(http, portal, b)));
            using var limited = new LimitedActions(portal);

            using var refused = await SendInitializeAsync(http, portal, portal.CreateToken("dev", name: "c"));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("-32009").And.Contain("maxSessions=4"));
            foreach (var (token, id) in held)
                Assert.That(await PingAsync(http, portal, token, id), Is.EqualTo(HttpStatusCode.OK));

            await portal.FlushAuditAsync();
            using var db = portal.Store.Open();
            Assert.That(db.Audit.Count(r => r.Outcome == "session-limit" && r.User.Contains('c')), Is.EqualTo(1));
            Assert.That(limited.Actions, Is.EqualTo(new[] { "refused-full" }));
        }
        finally { await portal.DisposeAsync(); }
    }

    [Test]
    public async Task EndedSession_GivesItsSlotBack()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = Config(upstream, maxSessions: 10, perUser: 2);
        var portal = await PortalFixture.StartAsync(config);
        var streams = new List<HttpResponseMessage>();
        try
        {
            using var http = new HttpClient();
            var token = portal.CreateToken("dev", name: "tidy");
            var first = await InitializeAsync(http, portal, token);
            var second = await InitializeAsync(http, portal, token);
            streams.Add(await OpenStreamAsync(http, portal, token, second));
            using (var delete = new HttpRequestMessage(HttpMethod.Delete, portal.McpUrl))
            {
                delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                delete.Headers.Add("Mcp-Session-Id", first);
                using var deleted = await http.SendAsync(delete);
                Assert.That(deleted.IsSuccessStatusCode, Is.True);
            }
            // The ended session no longer counts: a new one fits without closing the busy one.
            var third = await InitializeAsync(http, portal, token);
            Assert.That(await PingAsync(http, portal, token, third), Is.EqualTo(HttpStatusCode.OK));
            await portal.FlushAuditAsync();
            using var db = portal.Store.Open();
            Assert.That(db.Audit.Count(a => a.Outcome == "session-evicted" || a.Outcome == "session-limit"), Is.Zero);
        }
        finally
        {
            foreach (var s in streams) s.Dispose();
            await portal.DisposeAsync();
        }
    }

    /// <summary>shadowmcp.portal.sessions.limited as this portal counts it: the action of each measurement.</summary>
    private sealed class LimitedActions : IDisposable
    {
        private readonly MeterListener _listener;
        private readonly List<string> _actions = [];

        public LimitedActions(PortalFixture portal)
        {
            var factory = portal.Services.GetRequiredService<IMeterFactory>();
            _listener = new MeterListener
            {
                InstrumentPublished = (i, l) =>
                {
                    if (i.Meter.Name == PortalMetrics.MeterName && ReferenceEquals(i.Meter.Scope, factory)
                        && i.Name == "shadowmcp.portal.sessions.limited") l.EnableMeasurementEvents(i);
                },
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var (k, v) in tags)
                    if (k == "action") lock (_actions) _actions.Add(v?.ToString() ?? "");
            });
            _listener.Start();
        }

        public IReadOnlyList<string> Actions
        {
            get { lock (_actions) return [.. _actions]; }
        }

        public void Dispose() => _listener.Dispose();
    }

    private static PortalConfig Config(UpstreamServer upstream, int maxSessions, int perUser)
    {
        var config = PortalFixture.Config1(("a", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["a"] = ["*"] } };
        config.Portal.MaxSessions = maxSessions;
        config.Portal.MaxSessionsPerUser = perUser;
        return config;
    }

    [Test]
    public async Task InitializeBehindADuplicateMethodKey_CountsAgainstTheCap()
    {
        // {"method":"ping","method":"initialize"}: the SDK keeps the last key and opens a session; the cap must see it too.
        await using var upstream = await UpstreamServer.StartAsync();
        var config = Config(upstream, maxSessions: 6, perUser: 2);
        var portal = await PortalFixture.StartAsync(config);
        try
        {
            using var http = new HttpClient();
            var token = portal.CreateToken("dev", name: "dup");
            const string body = """{"jsonrpc":"2.0","id":7,"method":"ping","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
            var made = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                using var request = Request(HttpMethod.Post, portal, token, null, body);
                using var response = await http.SendAsync(request);
                if (response.Headers.TryGetValues("Mcp-Session-Id", out var ids)) made.Add(ids.Single());
            }
            Assert.That(made, Has.Count.EqualTo(4), "the SDK opens a session for each (the last method key wins)");

            var alive = 0;
            foreach (var id in made)
                if (await PingAsync(http, portal, token, id) == HttpStatusCode.OK) alive++;
            Assert.That(alive, Is.EqualTo(2), "the user holds at most its cap");
        }
        finally { await portal.DisposeAsync(); }
    }

    private static async Task<HttpResponseMessage> SendInitializeAsync(HttpClient http, PortalFixture portal, string token)
    {
        const string body = """{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
        using var request = Request(HttpMethod.Post, portal, token, null, body);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Initialize and the initialized notification, then nothing: the session sits idle.</summary>
    private static async Task<string> InitializeAsync(HttpClient http, PortalFixture portal, string token)
    {
        using var response = await SendInitializeAsync(http, portal, token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var id = response.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = Request(HttpMethod.Post, portal, token, id, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        using var ack = await http.SendAsync(initialized);
        Assert.That(ack.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        return id;
    }

    private static async Task<HttpStatusCode> PingAsync(HttpClient http, PortalFixture portal, string token, string session)
    {
        using var request = Request(HttpMethod.Post, portal, token, session, """{"jsonrpc":"2.0","id":2,"method":"ping"}""");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> OpenStreamAsync(HttpClient http, PortalFixture portal, string token, string session)
    {
        using var request = Request(HttpMethod.Get, portal, token, session, null);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return response;
    }

    private static HttpRequestMessage Request(HttpMethod method, PortalFixture portal, string token, string? session, string? body)
    {
        var request = new HttpRequestMessage(method, portal.McpUrl);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        if (session is not null) request.Headers.Add("Mcp-Session-Id", session);
        return request;
    }
}
