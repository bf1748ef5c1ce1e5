using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>
/// Reads that fit a resource template carry text the caller chose: they are routed only among servers the
/// caller may use, a tie between servers is refused, and the URI passes arguments DLP.
/// </summary>
[Category("Integration")]
public sealed class TemplateReadTests
{
    [Test]
    public async Task TemplateRead_WithASecretInTheUri_IsBlocked_NeverSent_AndAuditedRedacted()
    {
        await using var upstream = await UpstreamServer.StartAsync(withPrompts: true);
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        var client = await portal.ConnectAsync(portal.CreateToken("dev"));

        var error = Assert.CatchAsync<McpProtocolException>(async () => await client.ReadResourceAsync("fixture://items/AKIAIOSFODNN7EXAMPLE"));

        Assert.That(error!.Message, Does.Contain("aws-access-key").And.Not.Contain("AKIAIOSFODNN7EXAMPLE"));
        Assert.That(upstream.ReceivedReads, Is.Empty);
        await portal.FlushAuditAsync();
        using var db = portal.Store.Open();
        var row = db.Audit.Single(a => a.Method == "resources/read");
        Assert.That(row.Outcome, Is.EqualTo("dlp-blocked"));
        Assert.That(row.Tool, Does.Contain("[REDACTED:aws-access-key]").And.Not.Contain("AKIAIOSFODNN7EXAMPLE"));
    }

    [Test]
    public async Task TemplateRead_IsNotCapturedByAMoreSpecificTemplateOfAServerTheCallerMayNotUse()
    {
        await using var allowed = await UpstreamServer.StartAsync(withPrompts: true, resourceTemplate: "docs://{+path}");
        await using var other = await UpstreamServer.StartAsync(withPrompts: true, resourceTemplate: "docs://secret/{id}");
        var config = PortalFixture.Config1(("allowed", allowed.McpUrl), ("other", other.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["allowed"] = ["*"] } };
        config.Groups["ops"] = new GroupConfig { Servers = { ["allowed"] = ["*"], ["other"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);

        var dev = await portal.ConnectAsync(portal.CreateToken("dev"));
        await dev.ReadResourceAsync("docs://secret/7");
        Assert.That(allowed.ReceivedReads, Is.EqualTo(new[] { "docs://secret/7" }));
        Assert.That(other.ReceivedReads, Is.Empty);

        var ops = await portal.ConnectAsync(portal.CreateToken("ops"));
        await ops.ReadResourceAsync("docs://secret/8");
        Assert.That(other.ReceivedReads, Is.EqualTo(new[] { "docs://secret/8" }), "for a caller allowed on both, the most specific wins");
    }

    [Test]
    public async Task TemplateRead_ThatFitsTwoServersEqually_IsRefused()
    {
        await using var a = await UpstreamServer.StartAsync(withPrompts: true);
        await using var b = await UpstreamServer.StartAsync(withPrompts: true);
        var config = PortalFixture.Config1(("a", a.McpUrl), ("b", b.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["a"] = ["*"], ["b"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        var client = await portal.ConnectAsync(portal.CreateToken("dev"));

        var error = Assert.CatchAsync<McpProtocolException>(async () => await client.ReadResourceAsync("fixture://items/1"));

        Assert.That(error!.Message, Does.Contain("Ambiguous"));
        Assert.That(a.ReceivedReads.Concat(b.ReceivedReads), Is.Empty);
    }
}
