using System.Globalization;
using System.Text.Json;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// Reads remote MCP endpoints (<c>remotes[].url</c>) from the official MCP registry's <c>server.json</c> documents
/// or a saved response of its servers list (<c>{"servers":[{"server":{...}}]}</c> or <c>{"servers":[{...}]}</c>).
/// A host whose name has an "mcp" label is taken as MCP-only; any other host keeps the URL's path (it may serve
/// other APIs too, so its name alone is only suspected).
/// </summary>
internal static class IntelImport
{
    internal sealed record Remote(string Host, string? Path, string Vendor, string Source);

    /// <exception cref="JsonException">The file is not JSON or not a registry document.</exception>
    public static List<Remote> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var remotes = new List<Remote>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("servers", out var servers) && servers.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in servers.EnumerateArray())
                AddServer(item.TryGetProperty("server", out var inner) ? inner : item, remotes);
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("name", out _)) AddServer(root, remotes);
        else throw new JsonException("not a registry server.json (no 'name') nor a servers list (no 'servers')");
        return remotes;
    }

    private static void AddServer(JsonElement server, List<Remote> remotes)
    {
        if (server.ValueKind != JsonValueKind.Object || !server.TryGetProperty("name", out var nameElement)
            || nameElement.ValueKind != JsonValueKind.String) return;
        var name = nameElement.GetString()!;
        var vendor = server.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString()! : name;
        if (!server.TryGetProperty("remotes", out var list) || list.ValueKind != JsonValueKind.Array) return;
        foreach (var remote in list.EnumerateArray())
        {
            if (!remote.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String) continue;
            // Templated URLs ({tenant}.example.com) name no single host.
            var text = urlElement.GetString()!;
            if (text.Contains('{') || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")) continue;
            var host = url.IdnHost.ToLowerInvariant().TrimEnd('.');
            if (System.Net.IPAddress.TryParse(host, out _) || !host.Contains('.')) continue;
            bool mcpName = host.Split('.').Any(label => label == "mcp" || label.StartsWith("mcp-", StringComparison.Ordinal)
                || label.EndsWith("-mcp", StringComparison.Ordinal));
            string? path = mcpName || url.AbsolutePath is "" or "/" ? null : url.AbsolutePath;
            var source = "https://registry.modelcontextprotocol.io/v0/servers?search=" + Uri.EscapeDataString(name);
            remotes.Add(new Remote(host, path, vendor, source));
        }
    }

    /// <summary>The YAML of new catalog entries, checked on <paramref name="today"/>.</summary>
    public static string ToYaml(IEnumerable<Remote> remotes, DateOnly today)
    {
        var text = new System.Text.StringBuilder();
        foreach (var r in remotes)
        {
            text.Append("  - host: ").Append(r.Host).Append('\n');
            if (r.Path is not null) text.Append("    path: ").Append(Quote(r.Path)).Append('\n');
            text.Append("    vendor: ").Append(Quote(r.Vendor)).Append('\n');
            text.Append("    source: ").Append(r.Source).Append('\n');
            text.Append("    checked: ").Append(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
