using ShadowMcp.Core.Findings;

namespace ShadowMcp.Reports.Model;

/// <summary>One finding active in the period, flat, for the CSV.</summary>
public sealed record FindingLine
{
    public required string Endpoint { get; init; }
    /// <summary>The verdict in its wire form ("shadow"); select lines by it with <see cref="Is"/>.</summary>
    public required string Verdict { get; init; }
    public required string Status { get; init; }
    public required string Transport { get; init; }
    public required string Hosts { get; init; }
    public required string ProtocolVersions { get; init; }
    public string? ServerName { get; init; }
    public string? ServerVersion { get; init; }
    public double Confidence { get; init; }
    public DateTime FirstSeen { get; init; }
    public DateTime LastSeen { get; init; }
    public long FlowsInPeriod { get; init; }
    public required string Clients { get; init; }
    public required string Rules { get; init; }
    /// <summary>The primary (strongest) basis in its wire form ("content", "shape"): how sure to be (BasisLegendEntry).</summary>
    public string Basis { get; init; } = "other";
    /// <summary>Every basis, strongest first, space-separated ("content name").</summary>
    public string Bases { get; init; } = "other";
    public string? Enforcement { get; init; }
    public string? VerdictReason { get; init; }
    /// <summary>The triage status in its wire form ("new" when nobody triaged it).</summary>
    public string Triage { get; init; } = "new";

    /// <summary>True when the line's verdict is <paramref name="verdict"/>: the wire names stay Core's to know.</summary>
    public bool Is(Verdict verdict) => VerdictNames.TryParse(Verdict, out var v) && v == verdict;
}
