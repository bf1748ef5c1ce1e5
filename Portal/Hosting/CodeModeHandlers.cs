using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Policy;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// Tool handlers for sessions opened with `?codemode=search_and_execute`: two tools, each running code.
/// Installed per session by <see cref="ConfigureSession"/>; other sessions keep the portal's normal handlers.
/// </summary>
internal static class CodeModeHandlers
{
    public static Task ConfigureSession(HttpContext http, McpServerOptions options, CancellationToken ct)
    {
        if (string.Equals(http.Request.Query["codemode"], CodeModeTools.QueryValue, StringComparison.Ordinal))
        {
            // The session is bound to this API token (its id is the user); each call from code re-checks it.
            var runtime = http.RequestServices.GetRequiredService<PortalRuntime>();
            var credential = CallerCredential.FromAuthorization(runtime.Tokens, http.Request.Headers.Authorization.ToString());
            options.Handlers.ListToolsHandler = ListTools;
            options.Handlers.CallToolHandler = (ctx, ct) => CallTool(ctx, credential, ct);
        }
        return Task.CompletedTask;
    }

    public static ValueTask<ListToolsResult> ListTools(RequestContext<ListToolsRequestParams> ctx, CancellationToken ct) =>
        ValueTask.FromResult(new ListToolsResult { Tools = [CodeModeTools.SearchDefinition, CodeModeTools.ExecuteDefinition] });

    public static async ValueTask<CallToolResult> CallTool(RequestContext<CallToolRequestParams> ctx, CallerCredential credential, CancellationToken ct)
    {
        var name = ctx.Params?.Name ?? "";
        var mode = name switch
        {
            CodeModeTools.Search => SandboxMode.Search,
            CodeModeTools.Execute => SandboxMode.Execute,
            _ => throw PortalErrors.UnknownTool(name),
        };
        if (ctx.Params?.Arguments is not { } args || !args.TryGetValue("code", out var code) || code.ValueKind != JsonValueKind.String)
            throw new McpProtocolException($"{name} needs {{\"code\": string}}: a JavaScript async arrow function", McpErrorCode.InvalidParams);
        var runner = (ctx.Services ?? ctx.Server.Services)!.GetRequiredService<CodeModeRunner>();
        var client = ctx.JsonRpcRequest.Context?.ClientInfo ?? ctx.Server.ClientInfo;
        var caller = PortalCaller.From(ctx.User, client?.Name, client?.Version);
        return await runner.RunAsync(caller, credential, mode, code.GetString()!, ct);
    }
}
