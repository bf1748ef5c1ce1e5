using System.Net;
using ShadowMcp.Core.Findings;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Hosting;

/// <summary>What "sanctioned" means to the Classifier: the portal's own endpoints and every upstream it fronts.</summary>
public static class PortalRegistry
{
    public static IEnumerable<SanctionedEndpoint> SanctionedEndpoints(PortalConfig config, IEnumerable<string> portalUrls)
    {
        var urls = portalUrls.ToList();
        if (config.Portal.PublicUrl is { } publicUrl) urls.Add(publicUrl);
        foreach (var url in urls.Distinct(StringComparer.OrdinalIgnoreCase))
            if (From(url, PortalUrls.McpPath, "shadowmcp portal") is { } e) yield return e;
        foreach (var upstream in config.Upstreams)
            if (upstream.Url is { } url && From(url, null, $"portal upstream '{upstream.Id}'") is { } e) yield return e;
    }

    private static SanctionedEndpoint? From(string url, string? path, string reason)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var p = path ?? (uri.AbsolutePath is "/" or "" ? null : uri.AbsolutePath);
        var host = uri.Host.Trim('[', ']');
        return IPAddress.TryParse(host, out var ip)
            ? new SanctionedEndpoint(null, ip.ToString(), uri.Port, p, reason)
            : new SanctionedEndpoint(host, null, uri.Port, p, reason);
    }
}
