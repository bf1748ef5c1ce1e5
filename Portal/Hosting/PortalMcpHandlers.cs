using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Relay;

namespace ShadowMcp.Portal.Hosting;

/// <summary>Adapts the SDK's request handlers to the gateway: who is calling, then one gateway call.</summary>
internal static class PortalMcpHandlers
{
    public static async ValueTask<ListToolsResult> ListTools(RequestContext<ListToolsRequestParams> ctx, CancellationToken ct) =>
        new() { Tools = [.. await Gateway(ctx).ListToolsAsync(Caller(ctx), ct)] };

    public static async ValueTask<CallToolResult> CallTool(RequestContext<CallToolRequestParams> ctx, CancellationToken ct)
    {
        var session = Service<SessionHub, CallToolRequestParams>(ctx).Find(ctx.Server.SessionId);
        var relay = ctx.Params?.ProgressToken is not null || session is not null
            ? new CallRelay(ctx.Server, ctx.Params?.ProgressToken, session)
            : null;
        return await Gateway(ctx).CallToolAsync(Caller(ctx), ctx.Params?.Name ?? "", ctx.Params?.Arguments, ct, relay);
    }

    public static async ValueTask<ListResourceTemplatesResult> ListResourceTemplates(RequestContext<ListResourceTemplatesRequestParams> ctx, CancellationToken ct) =>
        new() { ResourceTemplates = [.. await Gateway(ctx).ListResourceTemplatesAsync(Caller(ctx), ct)] };

    /// <summary>logging/setLevel: remembered for the session and passed on to its private upstream sessions.</summary>
    // Logging is deprecated from 2026-07-28 (SEP-2577) but is how 2025-11-25 clients and servers talk today.
#pragma warning disable MCP9005
    public static async ValueTask<EmptyResult> SetLoggingLevel(RequestContext<SetLevelRequestParams> ctx, CancellationToken ct)
    {
        if (ctx.Params is { } p && Service<SessionHub, SetLevelRequestParams>(ctx).Find(ctx.Server.SessionId) is { } session)
            await session.SetLogLevelAsync(p.Level);
        return new EmptyResult();
    }
#pragma warning restore MCP9005

    public static async ValueTask<ListPromptsResult> ListPrompts(RequestContext<ListPromptsRequestParams> ctx, CancellationToken ct) =>
        new() { Prompts = [.. await Gateway(ctx).ListPromptsAsync(Caller(ctx), ct)] };

    public static async ValueTask<GetPromptResult> GetPrompt(RequestContext<GetPromptRequestParams> ctx, CancellationToken ct) =>
        await Gateway(ctx).GetPromptAsync(Caller(ctx), ctx.Params?.Name ?? "", ctx.Params?.Arguments, ct);

    public static async ValueTask<ListResourcesResult> ListResources(RequestContext<ListResourcesRequestParams> ctx, CancellationToken ct) =>
        new() { Resources = [.. await Gateway(ctx).ListResourcesAsync(Caller(ctx), ct)] };

    public static async ValueTask<ReadResourceResult> ReadResource(RequestContext<ReadResourceRequestParams> ctx, CancellationToken ct) =>
        await Gateway(ctx).ReadResourceAsync(Caller(ctx), ctx.Params?.Uri ?? "", ct);

    public static async ValueTask<CompleteResult> Complete(RequestContext<CompleteRequestParams> ctx, CancellationToken ct) =>
        await Gateway(ctx).CompleteAsync(Caller(ctx), ctx.Params!, ct);

    private static PortalGateway Gateway<T>(RequestContext<T> ctx) => Service<PortalGateway, T>(ctx);

    private static TService Service<TService, TParams>(RequestContext<TParams> ctx) where TService : notnull =>
        (ctx.Services ?? ctx.Server.Services)!.GetRequiredService<TService>();

    private static PortalCaller Caller<T>(RequestContext<T> ctx)
    {
        var client = ctx.JsonRpcRequest.Context?.ClientInfo ?? ctx.Server.ClientInfo;
        return PortalCaller.From(ctx.User, client?.Name, client?.Version);
    }
}
