using System.Collections.Frozen;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>Everything the upstreams offer, under exposed names. Immutable; the registry swaps in a new one.</summary>
internal sealed class PortalCatalog
{
    public static readonly PortalCatalog Empty = new(ToolCatalog.Empty, [], []);

    public PortalCatalog(ToolCatalog tools, IReadOnlyList<ExposedPrompt> prompts, IReadOnlyList<ExposedResource> resources)
    {
        Tools = tools;
        Prompts = prompts;
        Resources = resources;
        _prompts = prompts.ToFrozenDictionary(p => p.ExposedName, StringComparer.Ordinal);
        _resources = resources.GroupBy(r => r.Definition.Uri, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    private readonly FrozenDictionary<string, ExposedPrompt> _prompts;
    private readonly FrozenDictionary<string, ExposedResource> _resources;

    public ToolCatalog Tools { get; }
    public IReadOnlyList<ExposedPrompt> Prompts { get; }
    public IReadOnlyList<ExposedResource> Resources { get; }

    public ExposedPrompt? FindPrompt(string name) => _prompts.GetValueOrDefault(name);
    public ExposedResource? FindResource(string uri) => _resources.GetValueOrDefault(uri);
}
