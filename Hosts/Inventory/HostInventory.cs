using ShadowMcp.Hosts.Reading;

namespace ShadowMcp.Hosts.Inventory;

/// <summary>What one host scan found: every declared (and, optionally, running) server, the secrets, the problems.</summary>
public sealed record HostInventory
{
    public required string HostName { get; init; }
    /// <summary>Unique per run: the ingest endpoint keeps one copy per (host, scan id), however often it is posted.</summary>
    public required string ScanId { get; init; }
    public required DateTime ScannedAt { get; init; }
    public required string Os { get; init; }
    /// <summary>The home directories read.</summary>
    public IReadOnlyList<string> Homes { get; init; } = [];
    public IReadOnlyList<DeclaredServer> Servers { get; init; } = [];
    public IReadOnlyList<SecretHit> Secrets { get; init; } = [];
    public IReadOnlyList<ConfigProblem> Problems { get; init; } = [];
    /// <summary>Config files found and read (whether or not they declared a server).</summary>
    public IReadOnlyList<string> FilesRead { get; init; } = [];
}
