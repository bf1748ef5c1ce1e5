using ShadowMcp.Classifier.Matching;

namespace ShadowMcp.Classifier.Conditions;

/// <summary>
/// The fields an observation must carry for a condition to be able to hold, worked out once when rules load: an
/// <c>and</c> needs what any operand needs, an <c>or</c> only what every operand needs, a <c>not</c> nothing. The
/// rule index uses it to skip a rule without evaluating it when one of those fields is absent. Conservative: a field
/// left out only costs the evaluation it would have saved.
/// </summary>
internal static class RequiredFields
{
    public static IReadOnlySet<string> Of(ConditionNode node) => node switch
    {
        AndCondition and => Union(and.Operands.Select(Of)),
        OrCondition or => Intersection(or.Operands.Select(Of)),
        SelectionCondition selection => Of(selection.Selection),
        _ => Empty, // not, and any node kind added later: nothing is required
    };

    /// <summary>A selection holds when one of its maps holds, and a map needs every field its matchers need.</summary>
    public static IReadOnlySet<string> Of(Selection selection) =>
        Intersection(selection.Alternatives.Select(all => Union(all.Select(m => (IReadOnlySet<string>)m.RequiredFields().ToHashSet(StringComparer.Ordinal)))));

    private static readonly IReadOnlySet<string> Empty = new HashSet<string>(StringComparer.Ordinal);

    private static IReadOnlySet<string> Union(IEnumerable<IReadOnlySet<string>> sets)
    {
        var union = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in sets) union.UnionWith(set);
        return union;
    }

    private static IReadOnlySet<string> Intersection(IEnumerable<IReadOnlySet<string>> sets)
    {
        HashSet<string>? common = null;
        foreach (var set in sets)
        {
            if (common is null) common = new HashSet<string>(set, StringComparer.Ordinal);
            else common.IntersectWith(set);
        }
        return common ?? Empty;
    }
}
