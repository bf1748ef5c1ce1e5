using Microsoft.AspNetCore.Http;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// JSON-RPC says a body that is not JSON gets -32700 (parse error), not -32600 (invalid request). Runs after
/// authentication, so only a caller with credentials learns how its body was read (<see cref="McpRequestBody"/>:
/// buffered, bounded by maxRequestBytes, parsed once for all the portal's checks and read once more by the MCP endpoint).
/// </summary>
internal sealed class JsonParseGuardMiddleware(RequestDelegate next, PortalConfig config)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments(PortalUrls.McpPath))
        {
            await next(context);
            return;
        }
        var valid = (await McpRequestBody.ReadAsync(context, config.Portal.MaxRequestBytes)).IsJson;
        if (valid)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(
            new { jsonrpc = "2.0", id = (string?)null, error = new { code = -32700, message = "Parse error" } });
    }
}
