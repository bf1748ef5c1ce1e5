using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShadowMcp.Classifier.Loading;

/// <summary>
/// The one list of known remote-MCP endpoints (<c>rules/*.catalog.yaml</c>) that the DNS, SNI and HTTP Host
/// rules name with the <c>|catalog</c> modifier: <c>mcp-only</c> (hosts that serve only MCP), <c>shared</c> (hosts
/// that also serve other APIs; MCP under a path) and <c>not-mcp</c> (names with an "mcp" label that are something
/// else, such as the Mod Coder Pack's mcp.minecraftforge.net). Lint rejects duplicates and malformed entries.
/// </summary>
public sealed partial class HostCatalog
{
    public const string FileSuffix = ".catalog.yaml";
    public const string McpOnly = "mcp-only";
    public const string Shared = "shared";
    public const string NotMcp = "not-mcp";
    /// <summary>Shared hosts matched together with their MCP path (the request's <c>path</c> must lie under it).</summary>
    public const string SharedPath = "shared-path";

    private static readonly HashSet<string> EntryKeys =
        ["host", "path", "vendor", "source", "checked", "reason", "source_kind"];

    /// <summary>The one accepted <c>source_kind</c>: a community list, not the vendor's page, is the source.</summary>
    public const string CommunityList = "community-list";

    private readonly List<HostCatalogEntry> _hosts = [];
    private readonly List<HostCatalogEntry> _notMcp = [];

    public IReadOnlyList<HostCatalogEntry> Hosts => _hosts;
    public IReadOnlyList<HostCatalogEntry> NotMcpHosts => _notMcp;

    /// <summary>The host names of a named set, or null for an unknown set name.</summary>
    public IReadOnlyList<string>? Set(string name) => name switch
    {
        McpOnly => _hosts.Where(e => e.Path is null).Select(e => e.Host).ToList(),
        Shared => _hosts.Where(e => e.Path is not null).Select(e => e.Host).Distinct().ToList(),
        SharedPath => _hosts.Where(e => e.Path is not null).Select(e => e.Host).ToList(),
        NotMcp => _notMcp.Select(e => e.Host).ToList(),
        _ => null,
    };

    /// <summary>The MCP paths of the shared hosts, in the order <see cref="Set"/> gives them for <see cref="SharedPath"/>.</summary>
    public IReadOnlyList<string> SharedPaths() => _hosts.Where(e => e.Path is not null).Select(e => e.Path!).ToList();

    /// <summary>Adds the entries of one catalog file; every problem becomes a diagnostic (file, line, column).</summary>
    public void Load(string file, string text, List<RuleDiagnostic> diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            diagnostics.Add(Error(file, (int)ex.Start.Line, (int)ex.Start.Column, $"YAML syntax error: {ex.Message}"));
            return;
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            diagnostics.Add(Error(file, 1, 1, "a host catalog is one map with 'hosts' (and optionally 'not_mcp')"));
            return;
        }
        foreach (var (key, value) in root.Children)
        {
            var name = YamlNodes.Text(key);
            if (name is not ("hosts" or "not_mcp"))
            {
                diagnostics.Add(Error(file, key, $"unknown key '{name}' (expected hosts, not_mcp)"));
                continue;
            }
            if (value is not YamlSequenceNode list)
            {
                diagnostics.Add(Error(file, value, $"'{name}' must be a list of entries"));
                continue;
            }
            foreach (var item in list.Children)
            {
                var entry = ParseEntry(file, item, notMcp: name == "not_mcp", diagnostics);
                if (entry is not null) Add(file, item, entry, name == "not_mcp", diagnostics);
            }
        }
    }

    private void Add(string file, YamlNode node, HostCatalogEntry entry, bool notMcp, List<RuleDiagnostic> diagnostics)
    {
        var clash = notMcp
            ? _hosts.Concat(_notMcp).FirstOrDefault(e => e.Host == entry.Host)
            : _notMcp.FirstOrDefault(e => e.Host == entry.Host) ?? _hosts.FirstOrDefault(e => e.Host == entry.Host && e.Path == entry.Path);
        string? problem = clash is not null
            ? $"duplicate host '{entry.Host}{entry.Path}' (already listed{(clash.Vendor.Length > 0 ? " for " + clash.Vendor : "")})"
            : !notMcp && _hosts.Any(e => e.Host == entry.Host && (e.Path is null) != (entry.Path is null))
                ? $"'{entry.Host}' is listed both with and without a path: a host is either MCP-only or shared"
                : null;
        if (problem is not null)
        {
            diagnostics.Add(Error(file, node, problem));
            return;
        }
        (notMcp ? _notMcp : _hosts).Add(entry);
    }

    private static HostCatalogEntry? ParseEntry(string file, YamlNode node, bool notMcp, List<RuleDiagnostic> diagnostics)
    {
        if (node is not YamlMappingNode map)
        {
            diagnostics.Add(Error(file, node, "an entry is a map: host, vendor, source, checked (and path or reason)"));
            return null;
        }
        var values = new Dictionary<string, (string Text, YamlNode Node)>(StringComparer.Ordinal);
        bool ok = true;
        foreach (var (key, value) in map.Children)
        {
            var name = YamlNodes.Text(key) ?? "";
            if (!EntryKeys.Contains(name))
            {
                diagnostics.Add(Error(file, key, $"unknown key '{name}' (expected {string.Join(", ", EntryKeys)})"));
                ok = false;
                continue;
            }
            values[name] = (YamlNodes.Text(value) ?? "", value);
        }
        foreach (var required in notMcp ? new[] { "host", "reason", "source", "checked" } : ["host", "vendor", "source", "checked"])
        {
            if (values.ContainsKey(required)) continue;
            diagnostics.Add(Error(file, node, $"entry without '{required}'"));
            ok = false;
        }
        if (!ok) return null;

        var (host, hostNode) = values["host"];
        if (!HostName().IsMatch(host))
        {
            diagnostics.Add(Error(file, hostNode, $"'{host}' is not a lower-case DNS name"));
            ok = false;
        }
        string? path = values.TryGetValue("path", out var p) ? p.Text : null;
        if (path is not null && (notMcp || !path.StartsWith('/') || path.Any(char.IsWhiteSpace)))
        {
            diagnostics.Add(Error(file, p.Node, notMcp ? "a not_mcp entry has no path" : $"path '{path}' must start with '/' and hold no spaces"));
            ok = false;
        }
        var (source, sourceNode) = values["source"];
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            diagnostics.Add(Error(file, sourceNode, $"source '{source}' is not an http(s) URL"));
            ok = false;
        }
        var (checkedText, checkedNode) = values["checked"];
        if (!DateOnly.TryParseExact(checkedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var checkedOn))
        {
            diagnostics.Add(Error(file, checkedNode, $"checked '{checkedText}' is not a date (yyyy-MM-dd)"));
            ok = false;
        }
        string vendor = values.TryGetValue("vendor", out var v) ? v.Text : "";
        if (!notMcp && string.IsNullOrWhiteSpace(vendor))
        {
            diagnostics.Add(Error(file, v.Node ?? node, "vendor is empty"));
            ok = false;
        }
        string? reason = values.TryGetValue("reason", out var r) ? r.Text : null;
        string? kind = values.TryGetValue("source_kind", out var k) ? k.Text : null;
        if (kind is not null && kind != CommunityList)
        {
            diagnostics.Add(Error(file, k.Node,
                $"source_kind '{kind}' is not '{CommunityList}' (omit it for a vendor page)"));
            ok = false;
        }
        return ok
            ? new HostCatalogEntry(host, path, vendor, source, checkedOn, reason) { CommunityListed = kind is not null }
            : null;
    }

    private static RuleDiagnostic Error(string file, YamlNode node, string message) =>
        Error(file, (int)node.Start.Line, (int)node.Start.Column, message);

    private static RuleDiagnostic Error(string file, int line, int column, string message) =>
        new(file, Math.Max(1, line), Math.Max(1, column), DiagnosticSeverity.Error, message);

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex HostName();
}
