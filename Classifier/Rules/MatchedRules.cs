namespace ShadowMcp.Classifier.Rules;

/// <summary>
/// The rules one observation hit, in rule order. Immutable, and one shared object per combination of rules of a kind
/// (<see cref="KindRules"/>): a sharded scan matches on its workers and hands this to the aggregator's thread
/// without making hit objects or record lists per observation; the records are read there, from the observation.
/// </summary>
public sealed class MatchedRules
{
    public static readonly MatchedRules None = new([]);

    internal MatchedRules(Rule[] rules) => Rules = rules;

    internal Rule[] Rules { get; }

    public int Count => Rules.Length;
}
