namespace ShadowMcp.Reports.Model;

/// <summary>
/// The one page a security lead reads first: what changed, what needs action, what was done, and how the week
/// compares with the one before. Built from the report's own document (<see cref="Building.SummaryBuilder"/>), so it
/// cannot disagree with the evidence in the appendix. Lists are the top few; the totals say how many there are.
/// </summary>
public sealed record ExecutiveSummary
{
    /// <summary>One sentence with the numbers that matter, e.g. "3 new shadow servers; 5 need action".</summary>
    public required string Headline { get; init; }
    /// <summary>True when the period had not ended at generation time: its counts are still growing.</summary>
    public bool Partial { get; init; }
    /// <summary>The generation time the partial flag was judged against (only set for a partial period).</summary>
    public DateTime? AsOfUtc { get; init; }
    public required SummaryChanges Changed { get; init; }
    public required SummaryActions NeedsAction { get; init; }
    public required SummaryDone Done { get; init; }
    /// <summary>This week against the week before, from the trend; empty without two trend weeks.</summary>
    public required IReadOnlyList<SummaryDelta> Deltas { get; init; }
    /// <summary>Findings by triage status and the overdue ones (the document's <see cref="ReportDocument.Triage"/>).</summary>
    public TriageSection? Triage { get; init; }
    /// <summary>Captures of the period that may be missing findings (the document's <see cref="ReportDocument.CaptureLoss"/>).</summary>
    public CaptureLossSection? CaptureLoss { get; init; }
    /// <summary>Where the full lists live (the admin UI's findings page).</summary>
    public required string FindingsLink { get; init; }
}

/// <summary>New shadow servers, most clients first, then most flows: the top few and the total.</summary>
public sealed record SummaryChanges(int NewShadowServers, IReadOnlyList<SummaryServer> TopNew, int GoneShadowServers);

/// <summary>
/// Unblocked high-confidence shadow servers (null enforcement: the enforcer is not configured, so none is known to be
/// blocked), suspected endpoints to triage, and plaintext secrets found in agent configs (null: no host inventories).
/// </summary>
public sealed record SummaryActions(
    int UnblockedHighConfidence, IReadOnlyList<SummaryServer> TopUnblocked, bool EnforcementKnown,
    int SuspectedEndpoints, IReadOnlyList<SummaryServer> TopSuspected,
    int? SecretsFound, int? HostsWithSecrets)
{
    public int Total => UnblockedHighConfidence + SuspectedEndpoints + (SecretsFound ?? 0);
}

/// <summary>
/// What enforcement and the portal did. Null means the source is not configured. The store keeps the state at the
/// end of the period, not the history of actions, so "blocked" is a count of servers blocked then.
/// </summary>
public sealed record SummaryDone(int? BlockedShadowServers, int Conversions, long? RedirectedToPortal, long? SanctionedPortalCalls);

/// <summary>One endpoint as the summary lists it.</summary>
public sealed record SummaryServer(string Endpoint, string? ServerName, int Clients, long Flows, double Confidence, string? Enforcement)
{
    /// <summary>The server's risk score, 0-100 (null for endpoints that are not shadow servers).</summary>
    public int? Risk { get; init; }
    /// <summary>The factors behind <see cref="Risk"/>, e.g. "destructive tools: delete_file".</summary>
    public IReadOnlyList<string> RiskFactors { get; init; } = [];
    /// <summary>The endpoint's primary basis in its wire form ("content", "shape").</summary>
    public string Basis { get; init; } = "other";
}

/// <summary>
/// A measure this week against last week. <see cref="Arrow"/> is ▲ (up), ▼ (down) or "=" (same);
/// <see cref="Partial"/> marks a current week that is still in progress, whose count is not final.
/// </summary>
public sealed record SummaryDelta(string Measure, string Week, long ThisWeek, string PreviousWeek, long Previous, bool Partial)
{
    public long Change => ThisWeek - Previous;

    public string Arrow => Change > 0 ? "▲" : Change < 0 ? "▼" : "=";
}
