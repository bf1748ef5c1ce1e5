using static ShadowMcp.Hosts.Agents.AgentSources;

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
    public const string OpenCode = "opencode";

    /// <summary>Agents with MCP support but no documented file to read.</summary>
    public static readonly IReadOnlyList<(string Agent, string Source, string Why)> Undocumented =
    [
        ("JetBrains AI Assistant", AgentSources.JetBrains,
            "servers are added in Settings | Tools | AI Assistant | Model Context Protocol; the docs name no file"),
    ];

    public static IReadOnlyList<ConfigLocation> For(HostOs os) => [.. Common(), .. PerOs(os), .. VsCodeFamily(os), .. Project()];

    private static IEnumerable<ConfigLocation> Common()
    {
        yield return new(ClaudeCode, "user", PathBase.Home, ".claude.json", ConfigFormat.Json, ConfigShape.ClaudeCodeUser, AgentSources.ClaudeCode);
        yield return new(Cursor, "user", PathBase.Home, ".cursor/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.Cursor);
        yield return new(Windsurf, "user", PathBase.Home, ".codeium/windsurf/mcp_config.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.Windsurf);
        yield return new(Continue, "user", PathBase.Home, ".continue/config.yaml", ConfigFormat.Yaml, ConfigShape.ContinueList, AgentSources.Continue);
        yield return new(Continue, "user", PathBase.Home, ".continue/config.json", ConfigFormat.Json, ConfigShape.ContinueJson, AgentSources.Continue,
            "the JSON form is deprecated in favour of config.yaml");
        yield return new(Continue, "user", PathBase.Home, ".continue/mcpServers/*.yaml", ConfigFormat.Yaml, ConfigShape.ContinueList, AgentSources.Continue);
        yield return new(GeminiCli, "user", PathBase.Home, ".gemini/settings.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.Gemini);
        yield return new(CodexCli, "user", PathBase.Home, ".codex/config.toml", ConfigFormat.Toml, ConfigShape.CodexMcpServers, AgentSources.Codex,
            "$CODEX_HOME moves it; the default is read");
        yield return new(AmazonQ, "user", PathBase.Home, ".aws/amazonq/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.AmazonQ);
        yield return new(CopilotCli, "user", PathBase.Home, ".copilot/mcp-config.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.CopilotCli,
            "$COPILOT_HOME / $XDG_CONFIG_HOME move it; the default is read");
        yield return new(Kiro, "user", PathBase.Home, ".kiro/settings/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.Kiro);
        yield return new(LmStudio, "user", PathBase.Home, ".lmstudio/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.LmStudio);
    }

    private static IEnumerable<ConfigLocation> PerOs(HostOs os)
    {
        switch (os)
        {
            case HostOs.MacOs:
                yield return new(ClaudeDesktop, "user", PathBase.Home, "Library/Application Support/Claude/claude_desktop_config.json",
                    ConfigFormat.Json, ConfigShape.McpServers, AgentSources.ClaudeDesktop);
                yield return new(ClaudeCode, "managed", PathBase.System, "Library/Application Support/ClaudeCode/managed-mcp.json",
                    ConfigFormat.Json, ConfigShape.McpServers, ClaudeCodeSettings);
                yield return new(Zed, "user", PathBase.Home, ".config/zed/settings.json", ConfigFormat.Json, ConfigShape.ZedContextServers, ZedSettings);
                yield return new(Goose, "user", PathBase.Home, ".config/goose/config.yaml", ConfigFormat.Yaml, ConfigShape.GooseExtensions, AgentSources.Goose);
                yield return new(OpenCode, "user", PathBase.Home, ".config/opencode/opencode.json", ConfigFormat.Json, ConfigShape.OpenCode, AgentSources.OpenCode);
                break;
            case HostOs.Windows:
                yield return new(ClaudeDesktop, "user", PathBase.Home, "AppData/Roaming/Claude/claude_desktop_config.json",
                    ConfigFormat.Json, ConfigShape.McpServers, AgentSources.ClaudeDesktop);
                yield return new(ClaudeCode, "managed", PathBase.System, "ProgramData/ClaudeCode/managed-mcp.json",
                    ConfigFormat.Json, ConfigShape.McpServers, ClaudeCodeSettings);
                yield return new(ClaudeCode, "managed", PathBase.System, "Program Files/ClaudeCode/managed-mcp.json",
                    ConfigFormat.Json, ConfigShape.McpServers, ClaudeCodeSettings, "older releases documented Program Files; both are read");
                yield return new(VisualStudio, "user", PathBase.Home, ".mcp.json", ConfigFormat.Json, ConfigShape.Servers, AgentSources.VisualStudio);
                yield return new(Zed, "user", PathBase.Home, "AppData/Roaming/Zed/settings.json", ConfigFormat.Json, ConfigShape.ZedContextServers, ZedSettings);
                yield return new(Goose, "user", PathBase.Home, "AppData/Roaming/Block/goose/config/config.yaml", ConfigFormat.Yaml,
                    ConfigShape.GooseExtensions, AgentSources.Goose);
                yield return new(OpenCode, "user", PathBase.Home, ".config/opencode/opencode.json", ConfigFormat.Json, ConfigShape.OpenCode, AgentSources.OpenCode);
                break;
            default:
                yield return new(ClaudeDesktop, "user", PathBase.Home, ".config/Claude/claude_desktop_config.json",
                    ConfigFormat.Json, ConfigShape.McpServers, AgentSources.ClaudeDesktop,
                    "Anthropic documents macOS and Windows only; this is where Linux builds keep the same file");
                yield return new(ClaudeCode, "managed", PathBase.System, "etc/claude-code/managed-mcp.json",
                    ConfigFormat.Json, ConfigShape.McpServers, ClaudeCodeSettings);
                yield return new(Zed, "user", PathBase.Home, ".config/zed/settings.json", ConfigFormat.Json, ConfigShape.ZedContextServers, ZedSettings);
                yield return new(Goose, "user", PathBase.Home, ".config/goose/config.yaml", ConfigFormat.Yaml, ConfigShape.GooseExtensions, AgentSources.Goose);
                yield return new(OpenCode, "user", PathBase.Home, ".config/opencode/opencode.json", ConfigFormat.Json, ConfigShape.OpenCode, AgentSources.OpenCode);
                break;
        }
    }

    /// <summary>VS Code keeps user files in its profile folder; Cline and Roo Code keep theirs in its globalStorage.</summary>
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
            yield return new(VsCode, "user", PathBase.Home, $"{user}/mcp.json", ConfigFormat.Json, ConfigShape.Servers, VsCodeProfiles);
            yield return new(VsCode, "user", PathBase.Home, $"{user}/settings.json", ConfigFormat.Json, ConfigShape.VsCodeSettings, AgentSources.VsCode,
                "older releases kept servers under \"mcp\" in settings.json");
            yield return new(Cline, "user", PathBase.Home, $"{user}/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json",
                ConfigFormat.Json, ConfigShape.McpServers, AgentSources.Cline,
                "the docs show the file through the extension's UI; this is its path in VS Code's globalStorage");
            yield return new(RooCode, "user", PathBase.Home, $"{user}/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json",
                ConfigFormat.Json, ConfigShape.McpServers, AgentSources.RooCode);
        }
    }

    private static IEnumerable<ConfigLocation> Project()
    {
        yield return new(ClaudeCode, "project", PathBase.Project, ".mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.ClaudeCode);
        yield return new(Cursor, "project", PathBase.Project, ".cursor/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.Cursor);
        yield return new(VsCode, "project", PathBase.Project, ".vscode/mcp.json", ConfigFormat.Json, ConfigShape.Servers, AgentSources.VsCode);
        yield return new(VisualStudio, "project", PathBase.Project, ".vs/mcp.json", ConfigFormat.Json, ConfigShape.Servers, AgentSources.VisualStudio);
        yield return new(RooCode, "project", PathBase.Project, ".roo/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.RooCode);
        yield return new(GeminiCli, "project", PathBase.Project, ".gemini/settings.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.Gemini);
        yield return new(AmazonQ, "project", PathBase.Project, ".amazonq/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.AmazonQ);
        yield return new(Kiro, "project", PathBase.Project, ".kiro/settings/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.Kiro);
        yield return new(Continue, "project", PathBase.Project, ".continue/mcpServers/*.yaml", ConfigFormat.Yaml, ConfigShape.ContinueList, AgentSources.Continue);
        yield return new(JetBrainsAir, "project", PathBase.Project, ".air/mcp.json", ConfigFormat.Json, ConfigShape.McpServers, AgentSources.JetBrainsAir);
    }
}
