namespace ShadowMcp.Reports.Model;

/// <summary>
/// The security team's triage backlog as of <see cref="AsOfUtc"/> (the period's end, or the generation time for a
/// period still in progress): every finding in the store counted by triage status, and the overdue ones, that is
/// shadow or suspected findings still new or under review more than <see cref="OverdueDays"/> days after they were
/// first seen. The list names the oldest few; <see cref="Overdue"/> counts them all.
/// </summary>
public sealed record TriageSection(
    int OverdueDays, DateTime AsOfUtc, IReadOnlyList<TriageStatusCount> ByStatus, int Overdue, IReadOnlyList<OverdueFinding> TopOverdue);

/// <summary>How many findings have one triage status ("new", "under_review", "approved", "blocked", "false_positive").</summary>
public sealed record TriageStatusCount(string Status, int Findings);

/// <summary>A finding waiting for a decision for longer than the report allows.</summary>
public sealed record OverdueFinding(string Endpoint, string Verdict, string Status, string? Owner, DateTime FirstSeen, int DaysOpen);
