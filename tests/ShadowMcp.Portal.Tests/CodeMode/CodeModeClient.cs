using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>Connects a C# SDK client to a running portal with `?codemode=search_and_execute` and runs code.</summary>
internal static class CodeModeClient
{
    public static async Task<McpClient> ConnectAsync(PortalFixture portal, string bearer)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(portal.McpUrl + "?codemode=search_and_execute"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearer}" },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = "codemode-tests", Version = "1.0.0" } });
    }

    public static async Task<CallToolResult> SearchAsync(this McpClient client, string code, CancellationToken ct = default) =>
        await client.CallToolAsync("portal_codemode_search", new Dictionary<string, object?> { ["code"] = code }, cancellationToken: ct);

    public static async Task<CallToolResult> ExecuteAsync(this McpClient client, string code, CancellationToken ct = default) =>
        await client.CallToolAsync("portal_codemode_execute", new Dictionary<string, object?> { ["code"] = code }, cancellationToken: ct);

    public static string Text(this CallToolResult result, int block = 0) => ((TextContentBlock)result.Content[block]).Text;

    public static JsonElement Json(this CallToolResult result)
    {
        Assert.That(result.IsError, Is.Not.True, result.Text());
        return JsonDocument.Parse(result.Text()).RootElement.Clone();
    }

    public static string ExecutionId(this CallToolResult result) => result.Meta!["shadowmcp/executionId"]!.GetValue<string>();
}
