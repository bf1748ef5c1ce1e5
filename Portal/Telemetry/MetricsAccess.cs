using System.Net;
using Microsoft.AspNetCore.Http;

namespace ShadowMcp.Portal.Telemetry;

/// <summary>
/// Who may read /metrics: a request that arrived on a loopback address (only this machine can make one), or one the
/// host's own protection accepts. Decided on the local address, never on a client address or forwarded header.
/// </summary>
internal static class MetricsAccess
{
    public static bool Allowed(HttpContext ctx, Func<HttpContext, bool> authorized) => ArrivedOnLoopback(ctx) || authorized(ctx);

    private static bool ArrivedOnLoopback(HttpContext ctx) =>
        ctx.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local);
}
