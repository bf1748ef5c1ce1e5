using ShadowMcp.Core.Findings;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;

namespace ShadowMcp.Portal.Tests.Aggregation;

public sealed class ConfigAndRegistryTests
{
    private const string Sample = """
    {
      // comments are allowed
      "portal": { "publicUrl": "http://portal.corp.example:8765" },
      "upstreams": [
        { "id": "github", "url": "https://mcp.github.example/mcp", "headers": { "Authorization": "Bearer x" } },
        { "id": "local", "command": "node", "args": ["server.mjs"] },
      ],
      "groups": { "dev": { "servers": { "github": ["*"] } } }
    }
    """;

    [Test]
    public void Parse_SampleConfig_Loads()
    {
        var config = PortalConfigLoader.Parse(Sample);
        Assert.That(config.Upstreams.Select(u => u.Id), Is.EqualTo(new[] { "github", "local" }));
        Assert.That(config.Groups["dev"].Servers["github"], Is.EqualTo(new[] { "*" }));
    }

    [TestCase("""{"upstreams":[{"id":"a"}]}""", "needs a url or a command", TestName = "Parse_UpstreamWithoutTarget_Fails")]
    [TestCase("""{"upstreams":[{"id":"a","url":"http://x/mcp"},{"id":"a","url":"http://y/mcp"}]}""", "declared twice", TestName = "Parse_DuplicateIds_Fails")]
    [TestCase("""{"groups":{"g":{"servers":{"ghost":["*"]}}}}""", "unknown server 'ghost'", TestName = "Parse_GroupGrantsUnknownServer_Fails")]
    [TestCase("""{"upstreams":[{"id":"a","url":"http://x/mcp","dlp":{"arguments":"shred"}}]}""", "dlp actions", TestName = "Parse_BadDlpAction_Fails")]
    [TestCase("""{"upstreams": [""", "invalid JSON", TestName = "Parse_TruncatedJson_Fails")]
    [TestCase("""{"portal":{"limits":{"rates":[{"by":"token","perMinute":5}]}}}""", "by must be user, group or tool, not 'token'",
        TestName = "Parse_RateLimitByUnknownKey_Fails")]
    [TestCase("""{"portal":{"limits":{"rates":[{"perMinute":0}]}}}""", "rates[0]: perMinute must be positive",
        TestName = "Parse_RateLimitOfZero_Fails")]
    [TestCase("""{"groups":{"dev":{}},"portal":{"limits":{"rates":[{"group":"Dev","perMinute":5}]}}}""", "unknown group 'Dev'",
        TestName = "Parse_RateLimitForUnknownGroup_Fails")]
    [TestCase("""{"portal":{"limits":{"perCaller":0}}}""", "perCaller must be positive", TestName = "Parse_PerCallerZero_Fails")]
    [TestCase("""{"portal":{"limits":{"perUpstream":-1}}}""", "perUpstream must be positive", TestName = "Parse_PerUpstreamNegative_Fails")]
    [TestCase("""{"portal":{"audit":{"queueLimit":0}}}""", "portal.audit.queueLimit must be between 1 and 1000000",
        TestName = "Parse_AuditQueueLimitZero_Fails")]
    [TestCase("""{"portal":{"maxSessionsPerUser":0}}""", "portal.maxSessionsPerUser must be at least 1",
        TestName = "Parse_MaxSessionsPerUserZero_Fails")]
    [TestCase("""{"portal":{"maxSessions":50,"maxSessionsPerUser":50}}""", "less than portal.maxSessions (50), so one user alone cannot fill",
        TestName = "Parse_MaxSessionsPerUserFillsPortal_Fails")]
    [TestCase("""{"portal":{"maxSessions":0}}""", "portal.maxSessions must be between 2 and 1000000",
        TestName = "Parse_MaxSessionsZero_Fails")]
    [TestCase("""{"codeMode":{"maxArgumentBytes":0}}""", "codeMode.maxArgumentBytes must be between 1 and 67108864",
        TestName = "Parse_MaxArgumentBytesZero_Fails")]
    public void Parse_InvalidConfig_ExplainsWhy(string json, string expected)
    {
        var e = Assert.Throws<PortalConfigException>(() => PortalConfigLoader.Parse(json));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [Test]
    public void SanctionedEndpoints_CoverPortalAndHttpUpstreams()
    {
        var config = PortalConfigLoader.Parse(Sample);
        var endpoints = PortalRegistry.SanctionedEndpoints(config, ["http://127.0.0.1:8765"]).ToList();
        Assert.That(endpoints, Has.Count.EqualTo(3));
        var upstream = new Endpoint("140.82.1.1", 443, "mcp.github.example", "/mcp");
        Assert.That(endpoints.Any(e => e.Matches(upstream, [])), Is.True);
        var portal = new Endpoint("127.0.0.1", 8765, null, "/mcp");
        Assert.That(endpoints.Any(e => e.Matches(portal, [])), Is.True);
        var byName = new Endpoint("10.0.0.5", 8765, "portal.corp.example", "/mcp");
        Assert.That(endpoints.Any(e => e.Matches(byName, [])), Is.True);
        var shadow = new Endpoint("127.0.0.1", 9999, null, "/mcp");
        Assert.That(endpoints.Any(e => e.Matches(shadow, [])), Is.False);
    }
}
