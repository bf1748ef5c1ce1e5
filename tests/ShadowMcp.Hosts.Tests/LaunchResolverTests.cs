using ShadowMcp.Hosts.Packages;

namespace ShadowMcp.Hosts.Tests;

/// <summary>Each launcher's own option syntax: the package is what it would fetch, not an option's value.</summary>
public sealed class LaunchResolverTests
{
    [TestCase("npx", "-y|@modelcontextprotocol/server-github", "npm:@modelcontextprotocol/server-github", "npx")]
    [TestCase("npx", "--yes|--registry|https://r.example|mcp-remote@0.1.16|https://x.example/sse", "npm:mcp-remote@0.1.16", "npx")]
    [TestCase("npx", "-p|@scope/mcp-tools@2.0.0|mcp-tools-server", "npm:@scope/mcp-tools@2.0.0", "npx")]
    [TestCase("C:\\Program Files\\nodejs\\npx.cmd", "-y|@upstash/context7-mcp@latest", "npm:@upstash/context7-mcp", "npx")]
    [TestCase("cmd", "/c|npx|-y|figma-mcp@1.0.3", "npm:figma-mcp@1.0.3", "npx")]
    [TestCase("pnpm", "dlx|@browserbasehq/mcp@2.1.0", "npm:@browserbasehq/mcp@2.1.0", "pnpm dlx")]
    [TestCase("bunx", "mcp-server-kubernetes", "npm:mcp-server-kubernetes", "bunx")]
    [TestCase("npm", "exec|--|@acme/mcp@3", "npm:@acme/mcp@3", "npm exec")]
    [TestCase("uvx", "--from|git+https://github.com/x/y|y-mcp", "local:git+https://github.com/x/y", "uvx")]
    [TestCase("uvx", "--python|3.12|mcp-server-time@2025.3.1|--local-timezone|UTC", "pypi:mcp-server-time@2025.3.1", "uvx")]
    [TestCase("/home/a/.local/bin/uvx", "mcp-server-fetch[extra]==1.2.0", "pypi:mcp-server-fetch@1.2.0", "uvx")]
    [TestCase("uv", "tool|run|--from|awslabs.core-mcp-server==1.0.4|awslabs.core-mcp-server", "pypi:awslabs.core-mcp-server@1.0.4", "uv tool run")]
    [TestCase("pipx", "run|--spec|mcp-obsidian>=0.2|mcp-obsidian", "pypi:mcp-obsidian@>=0.2", "pipx run")]
    [TestCase("docker", "run|-i|--rm|-e|TOKEN|-v|/a:/b|--network=host|ghcr.io/github/github-mcp-server", "oci:ghcr.io/github/github-mcp-server", "docker run")]
    [TestCase("podman", "run|-i|--rm|localhost:5000/mcp/fetch@sha256:abc", "oci:localhost:5000/mcp/fetch@sha256:abc", "podman run")]
    [TestCase("docker", "run|--rm|-i|mcp/time:1.2", "oci:mcp/time:1.2", "docker run")]
    [TestCase("dnx", "Microsoft.Mcp.Sample@0.4.0-preview|--yes", "nuget:Microsoft.Mcp.Sample@0.4.0-preview", "dnx")]
    [TestCase("node", "/usr/lib/node_modules/@acme/mcp/build/index.js", "npm:@acme/mcp", "node")]
    [TestCase("python3", "/srv/tools/server.py", "local:/srv/tools/server.py", "python3")]
    [TestCase("/opt/acme/acme-mcp", "", "local:/opt/acme/acme-mcp", "acme-mcp")]
    public void Resolve_NamesThePackage(string command, string args, string id, string launcher)
    {
        var package = LaunchResolver.Resolve(command, args.Length == 0 ? [] : args.Split('|'));
        Assert.That(package, Is.Not.Null);
        Assert.That((package!.Id, package.Launcher), Is.EqualTo((id, launcher)));
    }
}
