using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Policy;

namespace ShadowMcp.Portal.Hosting;

/// <summary>Adapts the SDK's request handlers to the gateway: who is calling, then one gateway call.</summary>
internal static class PortalMcpHandlers
{
    public static async ValueTask<ListToolsResult> ListTools(RequestContext<ListToolsRequestParams> ctx, CancellationToken ct) =>
        new() { Tools = [.. await Gateway(ctx).ListToolsAsync(Caller(ctx), ct)] };

    public static async ValueTask<CallToolResult> CallTool(RequestContext<CallToolRequestParams> ctx, CancellationToken ct) =>
        await Gateway(ctx).CallToolAsync(Caller(ctx), ctx.Params?.Name ?? "", ctx.Params?.Arguments, ct);

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

    private static PortalGateway Gateway<T>(RequestContext<T> ctx) =>
        (ctx.Services ?? ctx.Server.Services)!.GetRequiredService<PortalGateway>();

    private static PortalCaller Caller<T>(RequestContext<T> ctx)
    {
        var client = ctx.JsonRpcRequest.Context?.ClientInfo ?? ctx.Server.ClientInfo;
        return PortalCaller.From(ctx.User, client?.Name, client?.Version);
    }
}
