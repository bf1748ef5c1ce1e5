using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>
/// What a <see cref="FindingQuery"/> should give, worked out in memory over the model findings: the filters and order
/// as FindingQuery and FindingSort document them. Text is left out (its cases are spelled out in the tests).
/// </summary>
internal static class ModelOracle
{
    public static List<ModelFinding> Run(IEnumerable<ModelFinding> all, FindingQuery q) =>
        [.. Order(all.Where(m => Matches(m, q)), q.Sort, q.Descending)];

    public static bool Matches(ModelFinding m, FindingQuery q)
    {
        var f = m.Finding;
        if (q.Verdicts is { } v && !v.Contains(f.Verdict)) return false;
        if (q.Statuses is { } s && !s.Contains(m.Status)) return false;
        if (q.Bases is { } b && !b.Contains(m.Bases.Primary)) return false;
        if (q.ActiveFromUtc is { } from && f.LastSeen < from) return false;
        if (q.ActiveToUtc is { } to && f.FirstSeen >= to) return false;
        if (q.FirstSeenFromUtc is { } firstFrom && f.FirstSeen < firstFrom) return false;
        if (q.FirstSeenBeforeUtc is { } firstBefore && f.FirstSeen >= firstBefore) return false;
        if (q.Text is not null) throw new ArgumentException("the oracle does not do text");
        return true;
    }

    public static IEnumerable<ModelFinding> Order(IEnumerable<ModelFinding> items, FindingSort sort, bool descending)
    {
        // A null server name sorts lowest: string comparers put null first.
        var ordered = sort switch
        {
            FindingSort.FirstSeen => By(items, m => m.Finding.FirstSeen, descending),
            FindingSort.Endpoint => By(items, m => m.Key, descending, StringComparer.Ordinal),
            FindingSort.Verdict => By(items, m => m.Finding.Verdict.ToWire(), descending, StringComparer.Ordinal),
            FindingSort.Server => By(items, m => m.Finding.Server?.Name, descending, StringComparer.Ordinal),
            FindingSort.Confidence => By(items, m => m.Finding.Confidence, descending),
            FindingSort.Flows => By(items, m => m.Finding.Flows, descending),
            _ => By(items, m => m.Finding.LastSeen, descending),
        };
        return ordered.ThenByDescending(m => m.Finding.LastSeen).ThenBy(m => m.Key, StringComparer.Ordinal);
    }

    private static IOrderedEnumerable<ModelFinding> By<T>(IEnumerable<ModelFinding> items, Func<ModelFinding, T> key, bool descending, IComparer<T>? comparer = null) =>
        descending ? items.OrderByDescending(key, comparer) : items.OrderBy(key, comparer);
}
