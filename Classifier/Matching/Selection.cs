using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Matching;

/// <summary>
/// A named block of a rule's detection: a map whose entries must all hold, or a list of such maps of which
/// any one must hold.
/// </summary>
internal sealed class Selection(string name, IReadOnlyList<IReadOnlyList<FieldMatcher>> alternatives)
{
    public string Name { get; } = name;
    public IReadOnlyList<IReadOnlyList<FieldMatcher>> Alternatives { get; } = alternatives;

    // Arrays, walked without interface enumerators: this runs per observation and per rule.
    private readonly FieldMatcher[][] _alternatives = [.. alternatives.Select(a => a.ToArray())];

    public bool Matches(Observation observation)
    {
        foreach (var all in _alternatives)
        {
            var ok = true;
            foreach (var matcher in all)
            {
                if (matcher.Matches(observation)) continue;
                ok = false;
                break;
            }
            if (ok) return true;
        }
        return false;
    }
}
