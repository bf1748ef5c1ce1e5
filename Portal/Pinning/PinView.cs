using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Pinning;

/// <summary>
/// What pinning says about a server's current tools: which to hide, and the annotations that were approved for
/// each (absent for a tool never approved). Policy decides on these, never on what the upstream claims now.
/// </summary>
internal sealed record PinView(IReadOnlySet<string> Hidden, IReadOnlyDictionary<string, ToolAnnotations?> Annotations)
{
    public static readonly PinView Empty = new(new HashSet<string>(), new Dictionary<string, ToolAnnotations?>());

    /// <summary>The definitions to expose: each tool carries its approved annotations (none if unapproved).</summary>
    public IReadOnlyList<Tool> Apply(IReadOnlyList<Tool> tools)
    {
        foreach (var tool in tools) tool.Annotations = Annotations.GetValueOrDefault(tool.Name);
        return tools;
    }
}
