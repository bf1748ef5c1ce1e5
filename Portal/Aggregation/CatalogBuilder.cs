using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>Turns each upstream's cached tool list into one catalog: names, description overrides, switches.</summary>
internal static class CatalogBuilder
{
    public static ToolCatalog Build(IEnumerable<(UpstreamConfig Config, IReadOnlyList<Tool> Tools, IReadOnlySet<string> Hidden)> upstreams)
    {
        var list = upstreams.ToList();
        var names = ToolNamer.Assign(list.SelectMany(u => u.Tools.Select(t => (u.Config.Prefix, u.Config.Id, t.Name))));
        var exposed = new List<ExposedTool>();
        foreach (var (config, tools, hidden) in list)
        {
            foreach (var tool in tools)
            {
                if (!names.TryGetValue((config.Id, tool.Name), out var name)) continue;
                var description = config.DescriptionOverrides.GetValueOrDefault(tool.Name) ?? tool.Description;
                var definition = new Tool
                {
                    Name = name,
                    Title = tool.Title,
                    Description = description,
                    InputSchema = tool.InputSchema,
                    OutputSchema = tool.OutputSchema,
                    Annotations = tool.Annotations,
                    Icons = tool.Icons,
                    Meta = tool.Meta,
                };
                var isRead = tool.Annotations?.ReadOnlyHint == true || Glob.Any(config.Tools.Read, tool.Name);
                exposed.Add(new ExposedTool(name, config.Id, tool.Name, definition, isRead, IsEnabled(config.Tools, tool.Name), hidden.Contains(tool.Name)));
            }
        }
        return new ToolCatalog(exposed);
    }

    internal static bool IsEnabled(ToolSelection selection, string tool) => selection.Exposes(tool);
}
