using System.Collections.Frozen;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>Everything the upstreams offer, under exposed names. Immutable; the registry swaps in a new one.</summary>
internal sealed class PortalCatalog
{
    public static readonly PortalCatalog Empty = new(ToolCatalog.Empty, [], []);

    public PortalCatalog(ToolCatalog tools, IReadOnlyList<ExposedPrompt> prompts, IReadOnlyList<ExposedResource> resources,
        IReadOnlyList<ExposedResourceTemplate>? templates = null)
    {
        Tools = tools;
        Prompts = prompts;
        Resources = resources;
        // Most specific first, so "repo://x/readme/{v}" wins over "repo://{path}" for a URI both match.
        Templates = (templates ?? []).OrderByDescending(t => t.Specificity).ToList();
        _prompts = prompts.ToFrozenDictionary(p => p.ExposedName, StringComparer.Ordinal);
        _resources = resources.GroupBy(r => r.Definition.Uri, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    private readonly FrozenDictionary<string, ExposedPrompt> _prompts;
    private readonly FrozenDictionary<string, ExposedResource> _resources;

    public ToolCatalog Tools { get; }
    public IReadOnlyList<ExposedPrompt> Prompts { get; }
    public IReadOnlyList<ExposedResource> Resources { get; }
    public IReadOnlyList<ExposedResourceTemplate> Templates { get; }

    public ExposedPrompt? FindPrompt(string name) => _prompts.GetValueOrDefault(name);
    public ExposedResource? FindResource(string uri) => _resources.GetValueOrDefault(uri);

    public ExposedResourceTemplate? FindTemplate(string uriTemplate) =>
        Templates.FirstOrDefault(t => string.Equals(t.Definition.UriTemplate, uriTemplate, StringComparison.Ordinal));

    /// <summary>
    /// A fingerprint of what clients can see (names and definitions), so sessions are told "list changed" only
    /// when something did, not on every periodic refresh.
    /// </summary>
    public string Fingerprint()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var options = ModelContextProtocol.McpJsonUtilities.DefaultOptions;
        hash.AppendData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Tools.Tools.Select(t => t.Definition).ToList(), options));
        hash.AppendData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Prompts.Select(p => p.Definition).ToList(), options));
        hash.AppendData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Resources.Select(r => r.Definition).ToList(), options));
        hash.AppendData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Templates.Select(t => t.Definition).ToList(), options));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
