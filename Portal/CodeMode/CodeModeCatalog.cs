using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>The tools one caller may use in one execution, under their code-mode identifiers.</summary>
internal sealed class CodeModeCatalog
{
    private readonly List<(string Id, Tool Tool, string Server)> _tools;
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    public CodeModeCatalog(IReadOnlyList<(Tool Tool, string Server)> tools)
    {
        Ids = CodeModeNames.Map(tools.Select(t => t.Tool.Name));
        var idByName = Ids.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
        _tools = tools.Select(t => (idByName[t.Tool.Name], t.Tool, t.Server)).ToList();
        for (var i = 0; i < _tools.Count; i++)
        {
            _byName[_tools[i].Id] = i;
            _byName.TryAdd(_tools[i].Tool.Name, i);
        }
    }

    /// <summary>Code-mode identifier → exposed tool name.</summary>
    public IReadOnlyDictionary<string, string> Ids { get; }

    /// <summary>
    /// Schemas rendered so far (declarations and the catalog listing), a work count for tests. Each is rendered
    /// once per execution: a search may ask up to maxSearchCalls times and the portal answers at full priority;
    /// before, a fanning schema cost its 256 K characters of TypeScript on every answer.
    /// </summary>
    internal int Renders { get; private set; }

    private string? _toolsJson;
    private readonly Dictionary<int, string> _declared = [];

    public string ToolsJson() => _toolsJson ??= RenderTools();

    private string RenderTools()
    {
        Renders++;
        var array = new JsonArray();
        foreach (var (id, tool, server) in _tools)
        {
            var item = new JsonObject
            {
                ["name"] = id,
                ["server"] = server,
                ["description"] = tool.Description,
                ["inputSchema"] = JsonSerializer.SerializeToNode(tool.InputSchema, McpJsonUtilities.DefaultOptions),
            };
            if (tool.OutputSchema is { } output) item["outputSchema"] = JsonSerializer.SerializeToNode(output, McpJsonUtilities.DefaultOptions);
            item["annotations"] = tool.Annotations is { } a ? JsonSerializer.SerializeToNode(a, McpJsonUtilities.DefaultOptions) : new JsonObject();
            array.Add(item);
        }
        return array.ToJsonString();
    }

    /// <summary>TypeScript for the named tools (identifiers or exposed names); unknown names are listed, not fatal.</summary>
    public string Declarations(string namesJson)
    {
        List<string> names;
        try { names = JsonSerializer.Deserialize<List<JsonElement>>(namesJson)?.Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList() ?? []; }
        catch (JsonException) { names = []; }
        var sb = new StringBuilder("declare namespace codemode {\n");
        var unknown = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (!_byName.TryGetValue(name, out var i)) { unknown.Add(name); continue; }
            if (!_declared.TryGetValue(i, out var declaration))
            {
                Renders++;
                var (id, tool, server) = _tools[i];
                var description = string.IsNullOrWhiteSpace(tool.Description) ? $"({server})" : $"{tool.Description} ({server})";
                _declared[i] = declaration = SchemaTypeScript.Declaration(id, description, tool.InputSchema, tool.OutputSchema);
            }
            sb.Append(declaration);
        }
        sb.Append("}\n");
        if (unknown.Count > 0) sb.Append("// unknown tools: ").Append(string.Join(", ", unknown)).Append('\n');
        return sb.ToString();
    }
}
