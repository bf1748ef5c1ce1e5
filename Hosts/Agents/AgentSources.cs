namespace ShadowMcp.Hosts.Agents;

/// <summary>The vendor pages each catalogued path comes from (Hosts/README.md has the table).</summary>
internal static class AgentSources
{
    public const string ClaudeDesktop = "https://modelcontextprotocol.io/docs/develop/connect-local-servers";
    public const string ClaudeCode = "https://docs.claude.com/en/docs/claude-code/mcp";
    public const string ClaudeCodeSettings = "https://docs.claude.com/en/docs/claude-code/settings";
    public const string Cursor = "https://docs.cursor.com/context/model-context-protocol";
    public const string Windsurf = "https://docs.windsurf.com/windsurf/cascade/mcp";
    public const string VsCode = "https://code.visualstudio.com/docs/copilot/customization/mcp-servers";
    public const string VsCodeProfiles = "https://code.visualstudio.com/docs/configure/settings#_settings-file-locations";
    public const string VisualStudio = "https://learn.microsoft.com/en-us/visualstudio/ide/mcp-servers";
    public const string JetBrains = "https://www.jetbrains.com/help/ai-assistant/mcp.html";
    public const string JetBrainsAir = "https://www.jetbrains.com/help/air/mcp-servers.html";
    public const string Zed = "https://zed.dev/docs/ai/mcp";
    public const string ZedSettings = "https://zed.dev/docs/configuring-zed#settings-files";
    public const string Cline = "https://docs.cline.bot/mcp/configuring-mcp-servers";
    public const string RooCode = "https://docs.roocode.com/features/mcp/using-mcp-in-roo";
    public const string Continue = "https://docs.continue.dev/customize/deep-dives/mcp";
    public const string Gemini = "https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/mcp-server.md";
    public const string Codex = "https://github.com/openai/codex/blob/main/docs/config.md#mcp_servers";
    public const string CodexProject = "https://developers.openai.com/codex/mcp#configure-with-configtoml";
    public const string Goose = "https://block.github.io/goose/docs/guides/config-file";
    public const string AmazonQ = "https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/command-line-mcp-configuration.html";
    public const string CopilotCli = "https://docs.github.com/en/copilot/how-tos/use-copilot-agents/use-copilot-cli";
    public const string Kiro = "https://kiro.dev/docs/mcp/configuration/";
    public const string LmStudio = "https://lmstudio.ai/docs/app/plugins/mcp";
    public const string OpenCode = "https://opencode.ai/docs/mcp-servers/";
}
