using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// DNS-rebinding defence and size limit. The Host header must name loopback or a configured host; an Origin
/// header, when present, must be a loopback origin or a configured one. Bodies above the limit get 413.
/// </summary>
internal sealed class RequestGuardMiddleware(RequestDelegate next, PortalConfig config, AuditLog audit, UnauthenticatedTally tally)
{
    /// <summary>JSON-RPC error code for "use the sanctioned portal instead" answers.</summary>
    public const int ShadowRedirectCode = -32010;

    private readonly HashSet<string> _hosts = new(
        ["localhost", "127.0.0.1", "[::1]", "::1", .. config.Portal.AllowedHosts, .. PublicHost(config)], StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _origins = new(config.Portal.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (!_hosts.Contains(host))
        {
            if (config.Portal.ShadowRedirect is { } redirect && IsRedirected(redirect, host))
            {
                await AnswerShadowClient(context, redirect, host);
                return;
            }
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
        // Only web origins on loopback: "file://" (IsLoopback for a local path), "null" (sandboxed frames, file
        // pages) and other schemes are foreign like any other site.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        return uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsRedirected(ShadowRedirectSettings redirect, string host) =>
        redirect.Hosts.Count == 0 || redirect.Hosts.Any(h => h.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(h[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(h, host, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A client that still uses a shadow server's name reached the portal through the enforcer's DNS redirect.
    /// Answer in JSON-RPC (echoing the request id, so MCP clients show the message) with the portal's real URL and
    /// where to ask for access, and audit it as a conversion attempt for the weekly report. The request is never served.
    /// </summary>
    private async Task AnswerShadowClient(HttpContext context, ShadowRedirectSettings redirect, string host)
    {
        var (id, method, clientName, clientVersion) = await PeekJsonRpc(context.Request);
        var portalUrl = (config.Portal.PublicUrl?.TrimEnd('/') ?? $"{context.Request.Scheme}://{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}") + PortalUrls.McpPath;
        var message = $"'{host}' is not a sanctioned MCP server. Use the company MCP portal at {portalUrl}"
            + (redirect.AccessUrl is { } access ? $"; request access at {access}" : "") + ".";
        // Anyone can send any Host: one conversion row per source and shadow host per interval, the rest counted
        // in the source's unauthenticated summary, so a flood costs bounded disk.
        // With the audit log full, the row becomes a count in the source's summary instead.
        if (tally.FirstInInterval(context.Connection.RemoteIpAddress, host, "redirected from a shadow host")
            && !audit.TryEnqueue(new AuditRecord("anonymous", "", clientName, clientVersion, host, method ?? context.Request.Method,
                null, 0, null, null, 0, "redirected", "conversion: shadow host " + host, null)))
            tally.CountOnly(context.Connection.RemoteIpAddress, "redirected from a shadow host");
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["error"] = new Dictionary<string, object?> { ["code"] = ShadowRedirectCode, ["message"] = message, ["data"] = new { portal = portalUrl, access = redirect.AccessUrl } },
        });
    }

    /// <summary>Reads at most 64 KiB of the body for the request id, method and clientInfo; anything unparsable is ignored.</summary>
    private static async Task<(JsonElement? Id, string? Method, string? ClientName, string? ClientVersion)> PeekJsonRpc(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method)) return (null, null, null, null);
        try
        {
            var buffer = new byte[64 * 1024];
            int total = 0, n;
            while (total < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(total))) > 0) total += n;
            using var doc = JsonDocument.Parse(buffer.AsMemory(0, total), new JsonDocumentOptions { MaxDepth = 16 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null, null, null);
            JsonElement? id = root.TryGetProperty("id", out var i) && i.ValueKind is JsonValueKind.Number or JsonValueKind.String ? i.Clone() : null;
            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            string? name = null, version = null;
            if (root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("clientInfo", out var ci) && ci.ValueKind == JsonValueKind.Object)
            {
                name = ci.TryGetProperty("name", out var cn) && cn.ValueKind == JsonValueKind.String ? cn.GetString() : null;
                version = ci.TryGetProperty("version", out var cv) && cv.ValueKind == JsonValueKind.String ? cv.GetString() : null;
            }
            return (id, method, name?[..Math.Min(name.Length, 128)], version?[..Math.Min(version.Length, 64)]);
        }
        catch (Exception ex) when (ex is JsonException or IOException or BadHttpRequestException)
        {
            return (null, null, null, null);
        }
    }

    private static IEnumerable<string> PublicHost(PortalConfig config) =>
        config.Portal.PublicUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u) ? [u.Host] : [];

    private static Task Reject(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { jsonrpc = "2.0", id = (string?)null, error = new { code = -32600, message } });
    }
}
