using Microsoft.AspNetCore.Http;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Hosting;

/// <summary>Where the portal says it lives: the configured public URL, or the request's own scheme and host.</summary>
internal static class PortalUrls
{
    public const string McpPath = "/mcp";
    public const string ResourceMetadataPath = "/.well-known/oauth-protected-resource";

    public static string Base(HttpContext context, PortalSettings settings) =>
        settings.PublicUrl?.TrimEnd('/') ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    public static string Resource(HttpContext context, PortalSettings settings) => Base(context, settings) + McpPath;

    public static string ResourceMetadata(HttpContext context, PortalSettings settings) =>
        Base(context, settings) + ResourceMetadataPath + McpPath;
}
