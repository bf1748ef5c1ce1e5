using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>OAuth client credentials for an upstream: fetched by the portal, cached, never shown to clients.</summary>
[Category("Integration")]
public sealed class UpstreamCredentialsTests
{
    [Test]
    public async Task OAuthClientCredentials_TokenIsFetchedOnceAndSentUpstream()
    {
        var tokenRequests = 0;
        string? basicAuth = null, grant = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var idp = builder.Build();
        idp.MapPost("/token", async (HttpContext ctx) =>
        {
            Interlocked.Increment(ref tokenRequests);
            basicAuth = ctx.Request.Headers.Authorization.ToString();
            grant = (await ctx.Request.ReadFormAsync())["grant_type"];
            return Results.Json(new { access_token = "upstream-access-1", token_type = "Bearer", expires_in = 3600 });
        });
        await idp.StartAsync();

        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Upstreams[0].OAuth = new OAuthClientCredentials { TokenUrl = idp.Urls.First() + "/token", ClientId = "portal", ClientSecret = "s3cret" };
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        var client = await portal.ConnectAsync(portal.CreateToken("dev"));
        await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "a" });
        await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "b" });

        Assert.That(tokenRequests, Is.EqualTo(1));
        Assert.That(grant, Is.EqualTo("client_credentials"));
        Assert.That(basicAuth, Is.EqualTo("Basic " + Convert.ToBase64String("portal:s3cret"u8.ToArray())));
        Assert.That(upstream.ReceivedAuthorization, Is.Not.Empty.And.All.EqualTo("Bearer upstream-access-1"));
        await idp.StopAsync();
    }
}
