using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// Which findings a read wants and in what order, typed. A null part matches everything. Every part becomes SQL, so a
/// filtered page or count never loads the rows it leaves out.
/// </summary>
public sealed record FindingQuery
{
    public static FindingQuery All { get; } = new();

    /// <summary>Only these verdicts (null: any).</summary>
    public IReadOnlySet<Verdict>? Verdicts { get; init; }

    /// <summary>Only these triage statuses; a finding nobody triaged is <see cref="TriageStatus.New"/> (null: any).</summary>
    public IReadOnlySet<TriageStatus>? Statuses { get; init; }

    /// <summary>
    /// Only findings whose primary (strongest) basis is one of these (null: any). See <see cref="BasisRules"/>;
    /// <see cref="FindingBasis.Shape"/> alone is the shape-only leads.
    /// </summary>
    public IReadOnlySet<FindingBasis>? Bases { get; init; }

    /// <summary>Activity overlapping [<see cref="ActiveFromUtc"/>, <see cref="ActiveToUtc"/>): last seen on or after the start.</summary>
    public DateTime? ActiveFromUtc { get; init; }

    /// <summary>Activity overlapping the window: first seen before its end.</summary>
    public DateTime? ActiveToUtc { get; init; }

    /// <summary>First seen on or after this time ("new this week").</summary>
    public DateTime? FirstSeenFromUtc { get; init; }

    /// <summary>First seen before this time (what existed at a moment, or what has waited long enough to be overdue).</summary>
    public DateTime? FirstSeenBeforeUtc { get; init; }

    /// <summary>
    /// Text in the endpoint key, host, hosts, server name, clients, or a rule's name, detail or example; ASCII letters
    /// match in any case and <c>%</c>, <c>_</c> and <c>\</c> are matched literally.
    /// </summary>
    public string? Text { get; init; }

    public FindingSort Sort { get; init; } = FindingSort.LastSeen;

    public bool Descending { get; init; } = true;

    /// <summary>This query limited to one verdict, or to any verdict when <paramref name="verdict"/> is null.</summary>
    public FindingQuery WithVerdict(Verdict? verdict) =>
        this with { Verdicts = verdict is { } v ? new HashSet<Verdict> { v } : null };

    /// <summary>This query limited to one primary basis, or to any when <paramref name="basis"/> is null.</summary>
    public FindingQuery WithBasis(FindingBasis? basis) =>
        this with { Bases = basis is { } b ? new HashSet<FindingBasis> { b } : null };

    /// <summary>This query limited to one triage status, or to any when <paramref name="status"/> is null.</summary>
    public FindingQuery WithStatus(TriageStatus? status) =>
        this with { Statuses = status is { } s ? new HashSet<TriageStatus> { s } : null };
}
