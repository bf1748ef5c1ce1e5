using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// Ends a caller's stateful session the way its client would: a DELETE with its Mcp-Session-Id, as the user who
/// opened it, handed straight to the MCP SDK's own DELETE endpoint (not over the network, past no middleware).
/// The SDK removes the session, disposes it and its server, and answers the next request on it with 404 "Session
/// not found", which tells an MCP client to initialize again. The SDK has no other public way to end a session.
/// </summary>
internal sealed class SessionCloser(IServiceProvider services)
{
    /// <summary>Marks the endpoints <c>MapMcp</c> made for the portal, so the DELETE one can be found.</summary>
    internal sealed class McpEndpointMarker;

    private RequestDelegate? _delete;

    /// <returns>Whether the SDK's DELETE endpoint was found and ran (a session already gone is not an error).</returns>
    public async Task<bool> CloseAsync(string sessionId, ClaimsPrincipal owner)
    {
        if ((_delete ??= FindDelete()) is not { } delete) return false;
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = owner };
        context.Request.Method = HttpMethods.Delete;
        context.Request.Path = PortalUrls.McpPath;
        context.Request.Headers["Mcp-Session-Id"] = sessionId;
        context.Response.Body = Stream.Null;
        await delete(context);
        return context.Response.StatusCode < 400;
    }

    private RequestDelegate? FindDelete() => services.GetRequiredService<EndpointDataSource>().Endpoints
        .Where(e => e.Metadata.GetMetadata<McpEndpointMarker>() is not null)
        .FirstOrDefault(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Delete) == true)
        ?.RequestDelegate;
}
