using ModelContextProtocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Auth;

/// <summary>
/// Group claims from a real JWKS issuer: array elements are groups as they are (never split), a string is split
/// only on the configured separator, and the token type must be an access token's.
/// </summary>
[Category("Integration")]
public sealed class JwtGroupClaimTests
{
    private UpstreamServer _upstream = null!;
    private JwtIssuer _idp = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _upstream = await UpstreamServer.StartAsync();
        _idp = await JwtIssuer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _idp.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<PortalFixture> Portal(Action<JwtSettings>? configure = null)
    {
        var config = PortalFixture.Config1(("alpha", _upstream.McpUrl));
        var jwt = new JwtSettings { Issuer = JwtIssuer.Issuer, Audience = JwtIssuer.Audience, JwksUrl = _idp.JwksUrl };
        configure?.Invoke(jwt);
        config.Auth.Jwt = jwt;
        config.Groups["engineering"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        return await PortalFixture.StartAsync(config);
    }

    private static async Task<IList<string>> VisibleTools(PortalFixture portal, string token)
    {
        var client = await portal.ConnectAsync(token);
        return (await client.ListToolsAsync()).Select(t => t.Name).ToList();
    }

    [TestCase("Platform engineering")]
    [TestCase("contractors,engineering")]
    [TestCase("contractors engineering")]
    [TestCase("contractors;engineering")]
    [TestCase(" engineering")]
    [TestCase("Engineering")]
    public async Task ArrayElement_IsOneGroup_NeverSplit(string element)
    {
        await using var portal = await Portal(j => j.GroupClaimSeparator = " ");
        var token = _idp.MintClaims(new() { ["sub"] = "mallory", ["groups"] = new[] { element } });
        Assert.That(await VisibleTools(portal, token), Is.EqualTo(new[] { "portal_list_servers" }));
    }

    [Test]
    public async Task ArrayElement_ExactName_Grants()
    {
        await using var portal = await Portal();
        var token = _idp.MintClaims(new() { ["sub"] = "alice", ["groups"] = new[] { "contractors", "engineering" } });
        Assert.That(await VisibleTools(portal, token), Does.Contain("alpha_delete_item"));
    }

    [Test]
    public async Task StringClaim_WithoutSeparator_IsOneGroup()
    {
        await using var portal = await Portal();
        var token = _idp.MintClaims(new() { ["sub"] = "mallory", ["groups"] = "contractors engineering" });
        Assert.That(await VisibleTools(portal, token), Is.EqualTo(new[] { "portal_list_servers" }));
    }

    [Test]
    public async Task StringClaim_WithConfiguredSeparator_IsSplit()
    {
        await using var portal = await Portal(j => j.GroupClaimSeparator = " ");
        var token = _idp.MintClaims(new() { ["sub"] = "alice", ["groups"] = "contractors engineering" });
        Assert.That(await VisibleTools(portal, token), Does.Contain("alpha_echo"));
        var commas = _idp.MintClaims(new() { ["sub"] = "mallory", ["groups"] = "contractors,engineering" });
        Assert.That(await VisibleTools(portal, commas), Is.EqualTo(new[] { "portal_list_servers" }));
    }

    [TestCase("at+jwt", true)]
    [TestCase("application/at+jwt", true)]
    [TestCase("JWT", true)]
    [TestCase("id+jwt", false)]
    [TestCase("dpop+jwt", false)]
    [TestCase("logout+jwt", false)]
    public async Task TokenType_IsChecked(string typ, bool accepted)
    {
        await using var portal = await Portal();
        var token = _idp.MintClaims(new() { ["sub"] = "alice", ["groups"] = new[] { "engineering" } }, typ);
        if (accepted) Assert.That(await VisibleTools(portal, token), Does.Contain("alpha_echo"));
        else Assert.ThrowsAsync<HttpRequestException>(async () => await portal.ConnectAsync(token));
    }

    [Test]
    public async Task TokenType_OnlyAccessTokensConfigured_RefusesGenericJwt()
    {
        await using var portal = await Portal(j => j.TokenTypes = ["at+jwt"]);
        var token = _idp.MintClaims(new() { ["sub"] = "alice", ["groups"] = new[] { "engineering" } }, "JWT");
        Assert.ThrowsAsync<HttpRequestException>(async () => await portal.ConnectAsync(token));
    }

    [TestCase("nonce")]
    [TestCase("at_hash")]
    [TestCase("typ")]
    public async Task IdToken_WithRightAudience_IsRefusedAndAudited(string sign)
    {
        await using var portal = await Portal();
        var claims = new Dictionary<string, object> { ["sub"] = "alice", ["groups"] = new[] { "engineering" } };
        claims[sign] = sign == "typ" ? "ID" : "n-0S6_WzA2Mj";
        var token = _idp.MintClaims(claims, "JWT");
        Assert.ThrowsAsync<HttpRequestException>(async () => await portal.ConnectAsync(token));
        await portal.FlushAuditAsync();
        using var db = portal.Store.Open();
        Assert.That(db.Audit.Where(a => a.Outcome == "unauthenticated").Select(a => a.Decision).ToList(),
            Has.Some.Contains("ID token"));
    }
}
