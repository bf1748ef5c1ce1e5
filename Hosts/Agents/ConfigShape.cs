namespace ShadowMcp.Hosts.Agents;

/// <summary>Where in a parsed config file the server entries are, and how each agent spells them.</summary>
public enum ConfigShape
{
    /// <summary><c>{"mcpServers": {name: entry}}</c>: Claude Desktop, Cursor, Windsurf, Cline, Roo, Gemini, Amazon Q, Copilot CLI, Kiro, LM Studio.</summary>
    McpServers,
    /// <summary><c>{"servers": {name: entry}}</c>: VS Code mcp.json, Visual Studio .mcp.json.</summary>
    Servers,
    /// <summary>VS Code settings.json: <c>{"mcp": {"servers": {...}}}</c>.</summary>
    VsCodeSettings,
    /// <summary>~/.claude.json: top-level <c>mcpServers</c> plus <c>projects[path].mcpServers</c>.</summary>
    ClaudeCodeUser,
    /// <summary>Zed settings.json: <c>{"context_servers": {name: entry}}</c>.</summary>
    ZedContextServers,
    /// <summary>Codex config.toml: <c>[mcp_servers.name]</c> tables.</summary>
    CodexMcpServers,
    /// <summary>Goose config.yaml: <c>extensions: {key: {type, cmd, args, envs, uri, enabled}}</c>.</summary>
    GooseExtensions,
    /// <summary>Continue config.yaml / mcpServers/*.yaml: <c>mcpServers: [ {name, command, args, env} ]</c>.</summary>
    ContinueList,
    /// <summary>Continue config.json: <c>experimental.modelContextProtocolServers: [ {transport: {...}} ]</c>.</summary>
    ContinueJson,
    /// <summary>opencode.json: <c>{"mcp": {name: {type: local|remote, command: [...], url}}}</c>.</summary>
    OpenCode,
}
