using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// JSON-RPC says a body that is not JSON gets -32700 (parse error), not -32600 (invalid request). Runs after
/// authentication, so only a caller with credentials learns how its body was read; the body is buffered (it is
/// bounded by maxRequestBytes) and read once more by the MCP endpoint.
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
        context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: config.Portal.MaxRequestBytes);
        var valid = await IsJsonAsync(context.Request.Body, context.RequestAborted);
        context.Request.Body.Position = 0;
        if (valid)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(
            new { jsonrpc = "2.0", id = (string?)null, error = new { code = -32700, message = "Parse error" } });
    }

    private static async Task<bool> IsJsonAsync(Stream body, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var n = await body.ReadAsync(buffer.GetMemory(16 * 1024), ct);
            if (n == 0) break;
            buffer.Advance(n);
        }
        if (buffer.WrittenCount == 0) return true; // an empty body is the endpoint's to refuse
        var reader = new Utf8JsonReader(buffer.WrittenSpan, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
