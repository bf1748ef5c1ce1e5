namespace ShadowMcp.Reports.Model;

/// <summary>
/// "MCP servers on hosts": what the host inventories (`shadowmcp host scan --report-to`) say for the period, from
/// each host's latest scan in it compared with that host's latest scan before it. No secret's value is stored, so
/// none can appear here.
/// </summary>
public sealed record HostsSection
{
    public required SectionStatus Status { get; init; }
    public int HostsReporting { get; init; }
    public int Servers { get; init; }
    public int ShadowServers { get; init; }
    /// <summary>Servers a host declares now and did not in its previous scan (all of them for a first scan).</summary>
    public IReadOnlyList<HostServerChange> New { get; init; } = [];
    /// <summary>Servers a host declared in its previous scan and no longer does.</summary>
    public IReadOnlyList<HostServerChange> Gone { get; init; } = [];
    public IReadOnlyList<HostPackageCount> ByPackage { get; init; } = [];
    public IReadOnlyList<HostAgentCount> ByAgent { get; init; } = [];
    public IReadOnlyList<HostSecretLine> Secrets { get; init; } = [];
}

/// <summary><see cref="What"/> is the package id (npm:..., pypi:..., oci:...) or the remote URL.</summary>
public sealed record HostServerChange(string Host, string What, string Verdict, string Agents);

public sealed record HostPackageCount(string What, string Verdict, int Hosts, int Declarations);

public sealed record HostAgentCount(string Agent, int Hosts, int Servers, int ShadowServers);

public sealed record HostSecretLine(string Host, string Agent, string Server, string Location, string Kind, string ConfigPath);
