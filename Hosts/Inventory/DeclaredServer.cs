using ShadowMcp.Hosts.Packages;

namespace ShadowMcp.Hosts.Inventory;

/// <summary>
/// One MCP server as a config file declares it. Environment and header values are not kept (only their names):
/// the secrets among them become <see cref="SecretHit"/>s when the file is read.
/// </summary>
public sealed record DeclaredServer
{
    public required string Agent { get; init; }
    /// <summary>user, project or managed.</summary>
    public required string Scope { get; init; }
    public required string ConfigPath { get; init; }
    public required string Name { get; init; }
    /// <summary>stdio, http, sse or streamable-http, as the entry says or as its fields imply.</summary>
    public required string Transport { get; init; }
    public string? Command { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public string? Url { get; init; }
    public PackageRef? Package { get; init; }
    public bool Enabled { get; init; } = true;
    public IReadOnlyList<string> EnvNames { get; init; } = [];
    public IReadOnlyList<string> HeaderNames { get; init; } = [];
    /// <summary>Where the entry came from: "config" or "process" (seen running with --processes).</summary>
    public string Origin { get; init; } = "config";
    /// <summary>Process id, for servers seen running.</summary>
    public int? Pid { get; init; }

    /// <summary>What identifies the server across agents and scans: its package, URL, or command line.</summary>
    public string Identity => Package is { } p ? p.Id : Url ?? string.Join(' ', [Command ?? "", .. Args]).Trim();
}
