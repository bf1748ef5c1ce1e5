using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Hosting;

/// <summary>Maps the portal's endpoints: /mcp (authenticated), the RFC 9728 document and /health.</summary>
public static class PortalEndpointExtensions
{
    public static WebApplication MapShadowMcpPortal(this WebApplication app)
    {
        app.UseMiddleware<RequestGuardMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<JsonParseGuardMiddleware>();
        app.UseMiddleware<CallerRequestLimitMiddleware>();
        app.UseMiddleware<CallerSessionLimitMiddleware>();

        var config = app.Services.GetRequiredService<PortalConfig>();
        // Created now, so it sees every catalog change from the first one on.
        app.Services.GetRequiredService<Relay.SessionHub>();
        IResult Metadata(HttpContext ctx) => Results.Json(new Dictionary<string, object?>
        {
            ["resource"] = PortalUrls.Resource(ctx, config.Portal),
            ["authorization_servers"] = config.Auth.Jwt is { } jwt ? new[] { jwt.Issuer } : Array.Empty<string>(),
            ["bearer_methods_supported"] = new[] { "header" },
            ["resource_name"] = "ShadowMcp portal",
        });
        app.MapGet(PortalUrls.ResourceMetadataPath, Metadata).AllowAnonymous();
        app.MapGet(PortalUrls.ResourceMetadataPath + PortalUrls.McpPath, Metadata).AllowAnonymous();
        // Anyone may ask whether the portal is up; which upstreams it fronts and their errors are for callers
        // with credentials only.
        app.MapGet("/health", (HttpContext ctx, UpstreamRegistry registry) =>
        {
            var upstreams = registry.Status();
            var status = upstreams.All(u => u.Healthy) ? "ok" : "degraded";
            return ctx.User.Identity?.IsAuthenticated == true ? Results.Json(new { status, upstreams }) : Results.Json(new { status });
        }).AllowAnonymous();
        app.MapMcp(PortalUrls.McpPath).RequireAuthorization(PortalServiceCollectionExtensions.AuthorizationPolicy)
            .WithMetadata(new SessionCloser.McpEndpointMarker());
        return app;
    }
}
