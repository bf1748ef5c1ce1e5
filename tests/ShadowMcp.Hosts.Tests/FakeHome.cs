using ShadowMcp.Hosts.Agents;

namespace ShadowMcp.Hosts.Tests;

/// <summary>
/// A home directory (and a machine root and a project) with every catalogued agent's config file in that agent's
/// real format, laid out as on <see cref="Os"/>. Records what a scan must find: each server once, each secret once.
/// </summary>
internal sealed class FakeHome : IDisposable
{
    public string Root { get; }
    public string Home { get; }
    public string System { get; }
    public string Project { get; }
    public HostOs Os { get; }
    public List<(string Agent, string Name, string Identity)> Servers { get; } = [];
    public List<(string Agent, string Server, string Location, string Kind)> Secrets { get; } = [];

    public FakeHome(HostOs os)
    {
        Os = os;
        Root = Directory.CreateTempSubdirectory("shadowmcp-hosts-").FullName;
        Home = Path.Combine(Root, os == HostOs.Windows ? "Users/alice" : os == HostOs.MacOs ? "Users/alice" : "home/alice");
        System = Path.Combine(Root, "sysroot");
        Project = Path.Combine(Root, "work", "project");
        Directory.CreateDirectory(Home);
        WriteCommon();
        WritePerOs();
        WriteVsCodeFamily();
        WriteProject();
    }

    public string Write(string relativeToHome, string text) => WriteAt(Home, relativeToHome, text);

    public static string WriteAt(string baseDir, string relative, string text)
    {
        var path = Path.Combine(baseDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private void Expect(string agent, string name, string identity) => Servers.Add((agent, name, identity));

    private void ExpectSecret(string agent, string server, string location, string kind) => Secrets.Add((agent, server, location, kind));

    private void WriteCommon()
    {
        Write(".claude.json", $$"""
            {
              "numStartups": 12,
              "mcpServers": {
                "cc-github": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                               "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "{{PlantedSecrets.GitHub}}" } }
              },
              "projects": {
                "/nonexistent/checkout": { "allowedTools": [], "mcpServers": { "cc-linear": { "type": "http", "url": "https://mcp.linear.app/mcp" } } }
              }
            }
            """);
        Expect("Claude Code", "cc-github", "npm:@modelcontextprotocol/server-github");
        Expect("Claude Code", "cc-linear", "https://mcp.linear.app/mcp");
        ExpectSecret("Claude Code", "cc-github", "env:GITHUB_PERSONAL_ACCESS_TOKEN", "GitHub token");

        Write(".cursor/mcp.json", """
            // Cursor reads JSON with comments
            {
              "mcpServers": {
                "cursor-fetch": { "command": "uvx", "args": ["mcp-server-fetch==2025.4.7"], }, /* pinned */
              },
            }
            """);
        Expect("Cursor", "cursor-fetch", "pypi:mcp-server-fetch@2025.4.7");

        Write(".codeium/windsurf/mcp_config.json", """{ "mcpServers": { "windsurf-wiki": { "serverUrl": "https://mcp.deepwiki.com/sse" } } }""");
        Expect("Windsurf", "windsurf-wiki", "https://mcp.deepwiki.com/sse");

        Write(".continue/config.yaml", """
            name: My Config
            version: 0.0.1
            schema: v1
            models: []
            mcpServers:
              - name: continue-sqlite
                command: uvx
                args: ["mcp-server-sqlite", "--db-path", "/tmp/test.db"]
            """);
        Expect("Continue", "continue-sqlite", "pypi:mcp-server-sqlite");
        Write(".continue/mcpServers/playwright.yaml", """
            name: Playwright mcpServer
            version: 0.0.1
            schema: v1
            mcpServers:
              - name: Browser search
                command: npx
                args:
                  - "@playwright/mcp@0.0.30"
            """);
        Expect("Continue", "Browser search", "npm:@playwright/mcp@0.0.30");

        Write(".gemini/settings.json", $$"""
            { "theme": "GitHub", "mcpServers": { "gemini-gh": { "httpUrl": "https://api.githubcopilot.com/mcp/",
              "headers": { "Authorization": "Bearer {{PlantedSecrets.Bearer}}" }, "timeout": 5000 } } }
            """);
        Expect("Gemini CLI", "gemini-gh", "https://api.githubcopilot.com/mcp/");
        ExpectSecret("Gemini CLI", "gemini-gh", "header:Authorization", "bearer token");

        Write(".codex/config.toml", $$"""
            model = "o3"

            [mcp_servers.codex-docker]
            command = "docker"
            args = ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server:v0.9.0"]
            env = { "SLACK_BOT_TOKEN" = "{{PlantedSecrets.Slack}}" }

            [mcp_servers.codex-off]
            command = "npx"
            args = ["-y", "@upstash/context7-mcp@1.0.14"]
            enabled = false
            """);
        Expect("Codex CLI", "codex-docker", "oci:ghcr.io/github/github-mcp-server:v0.9.0");
        Expect("Codex CLI", "codex-off", "npm:@upstash/context7-mcp@1.0.14");
        ExpectSecret("Codex CLI", "codex-docker", "env:SLACK_BOT_TOKEN", "Slack token");

        Write(".aws/amazonq/mcp.json", $$"""
            { "mcpServers": { "q-docs": { "command": "uvx", "args": ["awslabs.aws-documentation-mcp-server@latest"],
              "env": { "AWS_ACCESS_KEY_ID": "{{PlantedSecrets.AwsKeyId}}", "AWS_SECRET_ACCESS_KEY": "{{PlantedSecrets.AwsSecret}}",
                       "FASTMCP_LOG_LEVEL": "ERROR" }, "disabled": true } } }
            """);
        Expect("Amazon Q", "q-docs", "pypi:awslabs.aws-documentation-mcp-server");
        ExpectSecret("Amazon Q", "q-docs", "env:AWS_ACCESS_KEY_ID", "AWS access key");
        ExpectSecret("Amazon Q", "q-docs", "env:AWS_SECRET_ACCESS_KEY", "AWS secret key");

        Write(".copilot/mcp-config.json", """
            { "mcpServers": { "copilot-dnx": { "type": "local", "command": "dnx", "args": ["Contoso.Mcp.Server@1.2.0", "--yes"], "tools": ["*"] } } }
            """);
        Expect("GitHub Copilot CLI", "copilot-dnx", "nuget:Contoso.Mcp.Server@1.2.0");

        Write(".kiro/settings/mcp.json", $$"""
            { "mcpServers": { "kiro-node": { "command": "node",
              "args": ["/opt/tools/node_modules/@acme/mcp-thing/dist/index.js", "--token", "{{PlantedSecrets.GitHub2}}"] } } }
            """);
        Expect("Kiro", "kiro-node", "npm:@acme/mcp-thing");
        ExpectSecret("Kiro", "kiro-node", "args[2]", "GitHub token");

        Write(".lmstudio/mcp.json", """{ "mcpServers": { "lm-hf": { "url": "https://huggingface.co/mcp" } } }""");
        Expect("LM Studio", "lm-hf", "https://huggingface.co/mcp");
    }

    private void WritePerOs()
    {
        var (desktop, zed, goose) = Os switch
        {
            HostOs.MacOs => ("Library/Application Support/Claude/claude_desktop_config.json", ".config/zed/settings.json", ".config/goose/config.yaml"),
            HostOs.Windows => ("AppData/Roaming/Claude/claude_desktop_config.json", "AppData/Roaming/Zed/settings.json",
                "AppData/Roaming/Block/goose/config/config.yaml"),
            _ => (".config/Claude/claude_desktop_config.json", ".config/zed/settings.json", ".config/goose/config.yaml"),
        };
        Write(desktop, Os == HostOs.Windows
            ? """{ "mcpServers": { "desktop-fs": { "command": "cmd", "args": ["/c", "npx", "-y", "@modelcontextprotocol/server-filesystem@2025.7.1", "C:\\Users\\alice\\Desktop"] } } }"""
            : """{ "mcpServers": { "desktop-fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.7.1", "/Users/alice/Desktop"] } } }""");
        Expect("Claude Desktop", "desktop-fs", "npm:@modelcontextprotocol/server-filesystem@2025.7.1");

        Write(zed, """
            // Zed settings
            {
              "theme": "One Dark",
              "context_servers": {
                "zed-pg": { "source": "custom", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres"], "env": {} },
                "zed-git": { "command": { "path": "uvx", "args": ["mcp-server-git"], "env": {} }, "settings": {} },
              }
            }
            """);
        Expect("Zed", "zed-pg", "npm:@modelcontextprotocol/server-postgres");
        Expect("Zed", "zed-git", "pypi:mcp-server-git");

        Write(goose, $$"""
            GOOSE_PROVIDER: openai
            extensions:
              developer:
                enabled: true
                name: developer
                type: builtin
              github:
                name: goose-gh
                type: stdio
                cmd: npx
                args: [-y, "@modelcontextprotocol/server-github"]
                enabled: true
                envs:
                  GITHUB_PERSONAL_ACCESS_TOKEN: "{{PlantedSecrets.GitHub}}"
                timeout: 300
              browser:
                name: goose-sse
                type: sse
                uri: http://localhost:8931/sse
                enabled: false
            """);
        Expect("Goose", "goose-gh", "npm:@modelcontextprotocol/server-github");
        Expect("Goose", "goose-sse", "http://localhost:8931/sse");
        ExpectSecret("Goose", "goose-gh", "env:GITHUB_PERSONAL_ACCESS_TOKEN", "GitHub token");

        Write(".config/opencode/opencode.json", """
            { "$schema": "https://opencode.ai/config.json",
              "mcp": { "oc-local": { "type": "local", "command": ["bunx", "mcp-server-kubernetes@2.4.0"], "enabled": true },
                       "oc-sentry": { "type": "remote", "url": "https://mcp.sentry.dev/mcp", "enabled": true } } }
            """);
        Expect("opencode", "oc-local", "npm:mcp-server-kubernetes@2.4.0");
        Expect("opencode", "oc-sentry", "https://mcp.sentry.dev/mcp");

        var managed = Os switch
        {
            HostOs.MacOs => "Library/Application Support/ClaudeCode/managed-mcp.json",
            HostOs.Windows => "ProgramData/ClaudeCode/managed-mcp.json",
            _ => "etc/claude-code/managed-mcp.json",
        };
        WriteAt(System, managed, """{ "mcpServers": { "corp-portal": { "type": "http", "url": "https://mcp.corp.example/mcp" } } }""");
        Expect("Claude Code", "corp-portal", "https://mcp.corp.example/mcp");

        if (Os == HostOs.Windows)
        {
            Write(".mcp.json", """{ "servers": { "vs-github": { "url": "https://api.githubcopilot.com/mcp/" } } }""");
            Expect("Visual Studio", "vs-github", "https://api.githubcopilot.com/mcp/");
        }
    }

    private void WriteVsCodeFamily()
    {
        var user = Os switch
        {
            HostOs.MacOs => "Library/Application Support/Code/User",
            HostOs.Windows => "AppData/Roaming/Code/User",
            _ => ".config/Code/User",
        };
        Write($"{user}/mcp.json", """
            {
              "inputs": [ { "type": "promptString", "id": "tok", "description": "Token", "password": true } ],
              "servers": {
                "vscode-gh": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },
                "vscode-time": { "type": "stdio", "command": "uvx", "args": ["mcp-server-time"], "env": { "TOKEN": "${input:tok}" } }
              }
            }
            """);
        Expect("VS Code", "vscode-gh", "https://api.githubcopilot.com/mcp/");
        Expect("VS Code", "vscode-time", "pypi:mcp-server-time");
        Write($"{user}/settings.json", """
            { "editor.fontSize": 14, "mcp": { "servers": { "vscode-fetch": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch"] } } }, }
            """);
        Expect("VS Code", "vscode-fetch", "oci:mcp/fetch");
        // A second VS Code profile keeps its own mcp.json under User/profiles/<id>/.
        Write($"{user}/profiles/-4a3f9c1e/mcp.json", """
            { "servers": { "vscode-profile-sentry": { "type": "http", "url": "https://mcp.sentry.dev/mcp" } } }
            """);
        Expect("VS Code", "vscode-profile-sentry", "https://mcp.sentry.dev/mcp");
        Write($"{user}/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", $$"""
            { "mcpServers": { "cline-brave": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-brave-search"],
              "env": { "BRAVE_API_KEY": "{{PlantedSecrets.Brave}}" }, "disabled": false, "autoApprove": [] } } }
            """);
        Expect("Cline", "cline-brave", "npm:@modelcontextprotocol/server-brave-search");
        ExpectSecret("Cline", "cline-brave", "env:BRAVE_API_KEY", "credential");
        Write($"{user}/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json", $$"""
            { "mcpServers": { "roo-sse": { "type": "sse", "url": "https://roo.example.net/sse", "headers": { "X-API-Key": "{{PlantedSecrets.OpenAi}}" } } } }
            """);
        Expect("Roo Code", "roo-sse", "https://roo.example.net/sse");
        ExpectSecret("Roo Code", "roo-sse", "header:X-API-Key", "API key (sk-)");
    }

    private void WriteProject()
    {
        WriteAt(Project, ".mcp.json", """{ "mcpServers": { "proj-pw": { "command": "npx", "args": ["@playwright/mcp@latest"] } } }""");
        Expect("Claude Code", "proj-pw", "npm:@playwright/mcp");
        WriteAt(Project, ".vscode/mcp.json", """{ "servers": { "proj-dnx": { "type": "stdio", "command": "dotnet", "args": ["dnx", "Acme.McpServer", "--version", "0.3.0", "--yes"] } } }""");
        Expect("VS Code", "proj-dnx", "nuget:Acme.McpServer@0.3.0");
        WriteAt(Project, ".cursor/mcp.json", """{ "mcpServers": { "proj-local": { "command": "/opt/acme/bin/acme-mcp", "args": ["--stdio"] } } }""");
        Expect("Cursor", "proj-local", "local:/opt/acme/bin/acme-mcp");
        WriteAt(Project, ".codex/config.toml", """
            [mcp_servers.proj-codex-notion]
            url = "https://mcp.notion.com/mcp"
            """);
        Expect("Codex CLI", "proj-codex-notion", "https://mcp.notion.com/mcp");
    }

    /// <summary>A settings file that sanctions nothing (readable by an unprivileged scan too).</summary>
    public string EmptyConfig()
    {
        var path = Path.Combine(Root, "shadowmcp.json");
        File.WriteAllText(path, "{}");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
