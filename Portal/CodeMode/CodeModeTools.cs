using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>The only two tools a code-mode session lists.</summary>
internal static class CodeModeTools
{
    public const string QueryValue = "search_and_execute";
    public const string Search = "portal_codemode_search";
    public const string Execute = "portal_codemode_execute";

    private static readonly JsonElement CodeSchema = JsonSerializer.SerializeToElement(new
    {
        type = "object",
        properties = new { code = new { type = "string", description = "a JavaScript async arrow function" } },
        required = new[] { "code" },
        additionalProperties = false,
    });

    public static readonly Tool SearchDefinition = new()
    {
        Name = Search,
        Description = """
            Find tools. Runs `code` in a sandbox with:
            declare const codemode: {
              tools(): { name: string; server: string; description?: string; inputSchema: object; outputSchema?: object }[];
              declarations(names: string[]): string; // TypeScript
            };
            e.g. async () => codemode.tools().filter(t => /issue/.test(t.name)).map(t => t.name)
            """,
        InputSchema = CodeSchema,
        Annotations = new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
    };

    public static readonly Tool ExecuteDefinition = new()
    {
        Name = Execute,
        Description = """
            Call tools from code. Runs `code` in a sandbox with:
            declare const codemode: { [tool: string]: (args: object) => Promise<any> }; // see portal_codemode_search
            Tool errors throw; console.log is returned; the return value comes back as JSON. No network, files, timers or eval.
            e.g. async () => (await codemode.github_get_issue({ number: 1 })).title
            """,
        InputSchema = CodeSchema,
        Annotations = new ToolAnnotations { ReadOnlyHint = false, OpenWorldHint = true },
    };
}
