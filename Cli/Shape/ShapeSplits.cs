using ShadowMcp.Classifier.Shape;

namespace ShadowMcp.Cli.Shape;

/// <summary>
/// The splits of the feature table. Held-out: a fixed quarter of the sessions, by a hash of the session id, so
/// a session's flows stay together. Cross-stack: MCP from one client stack plus half of the look-alike families
/// to train, MCP from the other client stack plus the other families to test (every test family is unseen).
/// </summary>
internal static class ShapeSplits
{
    public static bool IsHeldOut(string session)
    {
        var hash = 2166136261u;
        foreach (var ch in session) hash = (hash ^ ch) * 16777619u;
        return hash % 4 == 0;
    }

    public static (List<ShapeSample> Train, List<ShapeSample> Test) CrossStack(
        IReadOnlyList<ShapeSample> rows, string trainStack)
    {
        var families = rows.Where(r => !r.IsMcp).Select(r => r.Family).Distinct().Order(StringComparer.Ordinal)
            .ToList();
        var groupA = families.Where((_, i) => i % 2 == 0).ToHashSet(StringComparer.Ordinal);
        var trainOnA = trainStack == "typescript";
        bool InTrain(ShapeSample r) => r.IsMcp ? r.ClientStack == trainStack : groupA.Contains(r.Family) == trainOnA;
        return (rows.Where(InTrain).ToList(), rows.Where(r => !InTrain(r)).ToList());
    }
}
