using ShadowMcp.Core.Reading;

namespace ShadowMcp.Admin.Findings;

/// <summary>The findings list's sortable columns (<see cref="FindingSort"/>) by their query-string names.</summary>
internal static class FindingSortNames
{
    private static readonly (FindingSort Sort, string Name)[] Names =
    [
        (FindingSort.LastSeen, "last"), (FindingSort.FirstSeen, "first"), (FindingSort.Endpoint, "endpoint"),
        (FindingSort.Verdict, "verdict"), (FindingSort.Server, "server"), (FindingSort.Confidence, "confidence"),
        (FindingSort.Flows, "flows"),
    ];

    public static string ToWire(this FindingSort sort) => Names.First(n => n.Sort == sort).Name;

    public static bool TryParse(string text, out FindingSort sort)
    {
        foreach (var (s, name) in Names)
        {
            if (!string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) continue;
            sort = s;
            return true;
        }
        sort = FindingSort.LastSeen;
        return false;
    }

    public static string Known => string.Join(", ", Names.Select(n => n.Name));

    /// <summary>Text columns read best A→Z; times and numbers biggest first.</summary>
    public static bool DescendingByDefault(this FindingSort sort) => sort is not (FindingSort.Endpoint or FindingSort.Verdict or FindingSort.Server);
}
