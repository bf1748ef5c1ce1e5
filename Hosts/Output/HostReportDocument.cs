using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Hosts.Inventory;

namespace ShadowMcp.Hosts.Output;

/// <summary>
/// The wire form of one host scan: what <c>host scan --format json</c> prints and what <c>--report-to</c> posts.
/// <see cref="Findings"/> are the same finding documents <c>scan</c> prints; the inventory rows beside them say
/// which agent declared what. No field ever carries a secret's value. Field names are a public contract.
/// </summary>
public sealed record HostReportDocument
{
    public required string HostName { get; init; }
    public required string ScanId { get; init; }
    public required DateTime ScannedAt { get; init; }
    public required string Os { get; init; }
    public FindingDocument[] Findings { get; init; } = [];
    public ServerRow[] Servers { get; init; } = [];
    public SecretRow[] Secrets { get; init; } = [];
    public ProblemRow[] Errors { get; init; } = [];
    public int FilesRead { get; init; }

    public sealed record ServerRow
    {
        public required string Agent { get; init; }
        public required string Scope { get; init; }
        public required string ConfigPath { get; init; }
        public required string Name { get; init; }
        public required string Transport { get; init; }
        public string? Launcher { get; init; }
        public string? Ecosystem { get; init; }
        public string? Package { get; init; }
        public string? Version { get; init; }
        /// <summary>"npm:@scope/name@1.2.3", "oci:image:tag": the form the sanctioned list uses.</summary>
        public string? PackageId { get; init; }
        public string? Url { get; init; }
        public string? Command { get; init; }
        public bool Enabled { get; init; } = true;
        public required string Verdict { get; init; }
        public string? VerdictReason { get; init; }
        public required string Endpoint { get; init; }
        public string Origin { get; init; } = "config";
        public int? Pid { get; init; }
    }

    public sealed record SecretRow(string Agent, string ConfigPath, string Server, string Location, string Kind, string Value);

    public sealed record ProblemRow(string File, int? Line, string Message);

    public static HostReportDocument From(HostInventory inventory, IReadOnlyList<Finding> findings, Verdicts.HostVerdicts verdicts) => new()
    {
        HostName = inventory.HostName,
        ScanId = inventory.ScanId,
        ScannedAt = DateTime.SpecifyKind(inventory.ScannedAt, DateTimeKind.Utc),
        Os = inventory.Os,
        Findings = [.. findings.Select(FindingDocument.From)],
        Servers = [.. inventory.Servers.Select(s =>
        {
            var (verdict, reason) = verdicts.Judge(s);
            return new ServerRow
            {
                Agent = s.Agent, Scope = s.Scope, ConfigPath = s.ConfigPath, Name = s.Name, Transport = s.Transport,
                Launcher = s.Package?.Launcher, Ecosystem = s.Package?.Ecosystem, Package = s.Package?.Name,
                Version = s.Package?.Version, PackageId = s.Package?.Id, Url = s.Url, Command = s.Command, Enabled = s.Enabled,
                Verdict = verdict.ToWire(), VerdictReason = reason,
                Endpoint = HostFindings.EndpointOf(inventory.HostName, s).Key, Origin = s.Origin, Pid = s.Pid,
            };
        })],
        Secrets = [.. inventory.Secrets.Select(s => new SecretRow(s.Agent, s.ConfigPath, s.Server, s.Location, s.Kind, SecretHit.Redacted))],
        Errors = [.. inventory.Problems.Select(p => new ProblemRow(p.File, p.Line, p.Message))],
        FilesRead = inventory.FilesRead.Count,
    };
}
