namespace ShadowMcp.Core.Findings;

/// <summary>
/// What kinds of source a stored finding came from: ShadowMcp's own probe (<see cref="BasisRules.ProbeSourcePath"/>)
/// and passive ones (capture files, live sessions, remote sensors). A finding held only in memory has neither.
/// </summary>
public readonly record struct SourceKinds(bool Probe, bool Passive)
{
    public static SourceKinds None => default;

    /// <summary>Every source is a probe.</summary>
    public bool ProbeOnly => Probe && !Passive;
}
