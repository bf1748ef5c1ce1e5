using System.Collections.Frozen;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>An immutable snapshot of every upstream tool under its exposed name; swapped whole on refresh.</summary>
internal sealed class ToolCatalog
{
    public static readonly ToolCatalog Empty = new([]);

    public ToolCatalog(IEnumerable<ExposedTool> tools)
    {
        Tools = tools.OrderBy(t => t.ExposedName, StringComparer.Ordinal).ToList();
        _byName = Tools.ToFrozenDictionary(t => t.ExposedName, StringComparer.Ordinal);
    }

    private readonly FrozenDictionary<string, ExposedTool> _byName;

    public IReadOnlyList<ExposedTool> Tools { get; }

    public ExposedTool? Find(string exposedName) => _byName.GetValueOrDefault(exposedName);
}
