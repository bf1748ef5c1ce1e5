using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// DNS-rebinding defence and size limit. The Host header must name loopback or a configured host; an Origin
/// header, when present, must be a loopback origin or a configured one. Bodies above the limit get 413.
/// </summary>
internal sealed class RequestGuardMiddleware(RequestDelegate next, PortalConfig config)
{
    private readonly HashSet<string> _hosts = new(
        ["localhost", "127.0.0.1", "[::1]", "::1", .. config.Portal.AllowedHosts, .. PublicHost(config)], StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _origins = new(config.Portal.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (!_hosts.Contains(host))
        {
            await Reject(context, StatusCodes.Status403Forbidden, $"Host '{host}' is not allowed");
            return;
        }
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !OriginAllowed(origin))
        {
            await Reject(context, StatusCodes.Status403Forbidden, "Origin is not allowed");
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = config.Portal.MaxRequestBytes;
        if (context.Request.ContentLength > config.Portal.MaxRequestBytes)
        {
            await Reject(context, StatusCodes.Status413PayloadTooLarge, "Request body too large");
            return;
        }
        await next(context);
    }

    private bool OriginAllowed(string origin)
    {
        if (_origins.Contains(origin.TrimEnd('/'))) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> PublicHost(PortalConfig config) =>
        config.Portal.PublicUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u) ? [u.Host] : [];

    private static Task Reject(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { jsonrpc = "2.0", id = (string?)null, error = new { code = -32600, message } });
    }
}
