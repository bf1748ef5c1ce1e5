using System.Text.Json.Nodes;
using ShadowMcp.Hosts.Agents;

namespace ShadowMcp.Hosts.Inventory;

/// <summary>Finds the server entries in a parsed file according to its agent's layout.</summary>
internal static class ShapeReader
{
    public static void Read(ConfigShape shape, FileContext file, JsonNode? root, List<DeclaredServer> servers,
        List<SecretHit> secrets)
    {
        if (root is not JsonObject obj) return;
        switch (shape)
        {
            case ConfigShape.McpServers:
                Map(file, obj["mcpServers"], servers, secrets);
                break;
            case ConfigShape.Servers:
                Map(file, obj["servers"], servers, secrets);
                break;
            case ConfigShape.VsCodeSettings:
                Map(file, (obj["mcp"] as JsonObject)?["servers"], servers, secrets);
                break;
            case ConfigShape.ClaudeCodeUser:
                Map(file, obj["mcpServers"], servers, secrets);
                // Servers added with "claude mcp add" in local scope live under the project's path.
                if (obj["projects"] is JsonObject projects)
                    foreach (var (project, node) in projects)
                    {
                        var local = file with { Scope = $"local:{project}" };
                        Map(local, (node as JsonObject)?["mcpServers"], servers, secrets);
                    }
                break;
            case ConfigShape.ZedContextServers:
                Map(file, obj["context_servers"], servers, secrets);
                break;
            case ConfigShape.CodexMcpServers:
                Map(file, obj["mcp_servers"], servers, secrets);
                break;
            case ConfigShape.GooseExtensions:
                if (obj["extensions"] is JsonObject extensions)
                    foreach (var (key, node) in extensions)
                    {
                        // Built-in extensions run inside goose itself: not a separate server.
                        var type = ServerEntryReader.Text((node as JsonObject)?["type"]);
                        if (type is "builtin" or "platform" or "frontend" or "inline_python") continue;
                        Add(file, NameOf(node) ?? key, node, servers, secrets);
                    }
                break;
            case ConfigShape.ContinueList:
                if (obj["mcpServers"] is JsonArray list)
                    for (int i = 0; i < list.Count; i++)
                        Add(file, NameOf(list[i]) ?? $"#{i}", list[i], servers, secrets);
                break;
            case ConfigShape.ContinueJson:
                if ((obj["experimental"] as JsonObject)?["modelContextProtocolServers"] is JsonArray old)
                    for (int i = 0; i < old.Count; i++)
                        Add(file, NameOf(old[i]) ?? $"#{i}", old[i], servers, secrets);
                break;
            case ConfigShape.OpenCode:
                Map(file, obj["mcp"], servers, secrets);
                break;
        }
    }

    private static string? NameOf(JsonNode? entry) => ServerEntryReader.Text((entry as JsonObject)?["name"]);

    private static void Map(FileContext file, JsonNode? node, List<DeclaredServer> servers, List<SecretHit> secrets)
    {
        if (node is not JsonObject map) return;
        foreach (var (name, entry) in map) Add(file, name, entry, servers, secrets);
    }

    private static void Add(FileContext file, string name, JsonNode? entry, List<DeclaredServer> servers, List<SecretHit> secrets)
    {
        if (ServerEntryReader.Read(file, name, entry, secrets) is { } server) servers.Add(server);
    }
}
