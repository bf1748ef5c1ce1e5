using static ShadowMcp.Hosts.Agents.ConfigFormat;
using static ShadowMcp.Hosts.Agents.ConfigShape;
using Src = ShadowMcp.Hosts.Agents.AgentSources;

namespace ShadowMcp.Hosts.Agents;

/// <summary>
/// Every documented MCP config file of the agents people use, per platform. A path is listed only with the vendor
/// page that documents it; where the vendor documents no file (JetBrains AI Assistant keeps servers in IDE
/// settings), the agent is not read and <see cref="Undocumented"/> says so.
/// </summary>
public static class AgentCatalog
{
    public const string ClaudeDesktop = "Claude Desktop";
    public const string ClaudeCode = "Claude Code";
    public const string Cursor = "Cursor";
    public const string Windsurf = "Windsurf";
    public const string VsCode = "VS Code";
    public const string VisualStudio = "Visual Studio";
    public const string JetBrainsAir = "JetBrains Air";
    public const string Zed = "Zed";
    public const string Cline = "Cline";
    public const string RooCode = "Roo Code";
    public const string Continue = "Continue";
    public const string GeminiCli = "Gemini CLI";
    public const string CodexCli = "Codex CLI";
    public const string Goose = "Goose";
    public const string AmazonQ = "Amazon Q";
    public const string CopilotCli = "GitHub Copilot CLI";
    public const string Kiro = "Kiro";
    public const string LmStudio = "LM Studio";
    public const string OpenCodeAgent = "opencode";

    /// <summary>Agents with MCP support but no documented file to read.</summary>
    public static readonly IReadOnlyList<(string Agent, string Source, string Why)> Undocumented =
    [
        ("JetBrains AI Assistant", Src.JetBrains,
            "servers are added in Settings | Tools | AI Assistant | Model Context Protocol; the docs name no file"),
    ];

    public static IReadOnlyList<ConfigLocation> For(HostOs os) =>
        [.. Common(), .. PerOs(os), .. VsCodeFamily(os), .. Projects()];

    private static ConfigLocation User(string agent, string path, ConfigFormat format, ConfigShape shape, string source,
        string? note = null) => new(agent, "user", PathBase.Home, path, format, shape, source, note);

    private static ConfigLocation Managed(string path, string? note = null) =>
        new(ClaudeCode, "managed", PathBase.System, path, Json, McpServers, Src.ClaudeCodeSettings, note);

    private static ConfigLocation Project(string agent, string path, ConfigFormat format, ConfigShape shape, string source) =>
        new(agent, "project", PathBase.Project, path, format, shape, source);

    private static IEnumerable<ConfigLocation> Common()
    {
        yield return User(ClaudeCode, ".claude.json", Json, ClaudeCodeUser, Src.ClaudeCode);
        yield return User(Cursor, ".cursor/mcp.json", Json, McpServers, Src.Cursor);
        yield return User(Windsurf, ".codeium/windsurf/mcp_config.json", Json, McpServers, Src.Windsurf);
        yield return User(Continue, ".continue/config.yaml", Yaml, ContinueList, Src.Continue);
        yield return User(Continue, ".continue/config.json", Json, ContinueJson, Src.Continue,
            "the JSON form is deprecated in favour of config.yaml");
        yield return User(Continue, ".continue/mcpServers/*.yaml", Yaml, ContinueList, Src.Continue);
        yield return User(GeminiCli, ".gemini/settings.json", Json, McpServers, Src.Gemini);
        yield return User(CodexCli, ".codex/config.toml", Toml, CodexMcpServers, Src.Codex,
            "$CODEX_HOME moves it; a live scan reads both")
            with { MovedBy = "CODEX_HOME", MovedPath = "config.toml" };
        yield return User(AmazonQ, ".aws/amazonq/mcp.json", Json, McpServers, Src.AmazonQ);
        yield return User(CopilotCli, ".copilot/mcp-config.json", Json, McpServers, Src.CopilotCli,
            "$COPILOT_HOME moves it; a live scan reads both")
            with { MovedBy = "COPILOT_HOME", MovedPath = "mcp-config.json" };
        yield return User(Kiro, ".kiro/settings/mcp.json", Json, McpServers, Src.Kiro);
        yield return User(LmStudio, ".lmstudio/mcp.json", Json, McpServers, Src.LmStudio);
        yield return User(OpenCodeAgent, ".config/opencode/opencode.json", Json, OpenCode, Src.OpenCode);
    }

    private static IEnumerable<ConfigLocation> PerOs(HostOs os)
    {
        switch (os)
        {
            case HostOs.MacOs:
                yield return User(ClaudeDesktop, "Library/Application Support/Claude/claude_desktop_config.json",
                    Json, McpServers, Src.ClaudeDesktop);
                yield return Managed("Library/Application Support/ClaudeCode/managed-mcp.json");
                yield return User(Zed, ".config/zed/settings.json", Json, ZedContextServers, Src.ZedSettings);
                yield return User(Goose, ".config/goose/config.yaml", Yaml, GooseExtensions, Src.Goose);
                break;
            case HostOs.Windows:
                yield return User(ClaudeDesktop, "AppData/Roaming/Claude/claude_desktop_config.json",
                    Json, McpServers, Src.ClaudeDesktop);
                yield return Managed("ProgramData/ClaudeCode/managed-mcp.json");
                yield return Managed("Program Files/ClaudeCode/managed-mcp.json",
                    "older releases documented Program Files; both are read");
                yield return User(VisualStudio, ".mcp.json", Json, Servers, Src.VisualStudio);
                yield return User(Zed, "AppData/Roaming/Zed/settings.json", Json, ZedContextServers, Src.ZedSettings);
                yield return User(Goose, "AppData/Roaming/Block/goose/config/config.yaml", Yaml, GooseExtensions, Src.Goose);
                break;
            default:
                yield return User(ClaudeDesktop, ".config/Claude/claude_desktop_config.json", Json, McpServers,
                    Src.ClaudeDesktop, "Anthropic documents macOS and Windows only; Linux builds keep the same file here");
                yield return Managed("etc/claude-code/managed-mcp.json");
                yield return User(Zed, ".config/zed/settings.json", Json, ZedContextServers, Src.ZedSettings);
                yield return User(Goose, ".config/goose/config.yaml", Yaml, GooseExtensions, Src.Goose);
                break;
        }
    }

    /// <summary>VS Code keeps user files in its profile folder; Cline and Roo Code theirs in its globalStorage.</summary>
    private static IEnumerable<ConfigLocation> VsCodeFamily(HostOs os)
    {
        var appData = os switch
        {
            HostOs.MacOs => "Library/Application Support",
            HostOs.Windows => "AppData/Roaming",
            _ => ".config",
        };
        foreach (var product in (string[])["Code", "Code - Insiders"])
        {
            var user = $"{appData}/{product}/User";
            var storage = $"{user}/globalStorage";
            yield return User(VsCode, $"{user}/mcp.json", Json, Servers, Src.VsCodeProfiles);
            yield return User(VsCode, $"{user}/settings.json", Json, VsCodeSettings, Src.VsCode,
                "older releases kept servers under \"mcp\" in settings.json");
            // Every profile but the default keeps its own files in User/profiles/<id>/.
            yield return User(VsCode, $"{user}/profiles/*/mcp.json", Json, Servers, Src.VsCodeProfiles);
            yield return User(VsCode, $"{user}/profiles/*/settings.json", Json, VsCodeSettings, Src.VsCodeProfiles);
            yield return User(Cline, $"{storage}/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", Json,
                McpServers, Src.Cline, "the docs open the file through the extension; this is its globalStorage path");
            yield return User(RooCode, $"{storage}/rooveterinaryinc.roo-cline/settings/mcp_settings.json", Json,
                McpServers, Src.RooCode);
        }
    }

    private static IEnumerable<ConfigLocation> Projects()
    {
        yield return Project(ClaudeCode, ".mcp.json", Json, McpServers, Src.ClaudeCode);
        yield return Project(Cursor, ".cursor/mcp.json", Json, McpServers, Src.Cursor);
        yield return Project(VsCode, ".vscode/mcp.json", Json, Servers, Src.VsCode);
        yield return Project(VisualStudio, ".vs/mcp.json", Json, Servers, Src.VisualStudio);
        yield return Project(RooCode, ".roo/mcp.json", Json, McpServers, Src.RooCode);
        yield return Project(GeminiCli, ".gemini/settings.json", Json, McpServers, Src.Gemini);
        yield return Project(AmazonQ, ".amazonq/mcp.json", Json, McpServers, Src.AmazonQ);
        yield return Project(Kiro, ".kiro/settings/mcp.json", Json, McpServers, Src.Kiro);
        yield return Project(Continue, ".continue/mcpServers/*.yaml", Yaml, ContinueList, Src.Continue);
        yield return Project(JetBrainsAir, ".air/mcp.json", Json, McpServers, Src.JetBrainsAir);
        yield return Project(CodexCli, ".codex/config.toml", Toml, CodexMcpServers, Src.CodexProject);
    }
}
