using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Matching;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Rules;

/// <summary>
/// The compiled rules, indexed by observation kind so each observation is tried only against rules for its
/// kind. Immutable and safe to share across threads.
/// </summary>
public sealed class RuleSet
{
    private readonly Dictionary<string, Rule[]> _byKind = new(StringComparer.Ordinal);

    public RuleSet(IEnumerable<Rule> rules)
    {
        Rules = rules.ToList();
        foreach (var kind in ObservationKinds.All)
            _byKind[kind] = [.. Rules.Where(r => r.AppliesTo(kind))];
    }

    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>Lints and compiles the rules in a directory; throws <see cref="RuleLoadException"/> on any error.</summary>
    public static RuleSet Load(string directory)
    {
        var result = RuleLinter.LintDirectory(directory);
        if (result.HasErrors) throw new RuleLoadException(result.Diagnostics);
        return new RuleSet(result.Rules);
    }

    /// <summary>Rules that may fire on an observation of this kind.</summary>
    public IReadOnlyList<Rule> RulesFor(string kind) =>
        _byKind.TryGetValue(kind, out var rules) ? rules : Unindexed(kind);

    private Rule[] Unindexed(string kind) => [.. Rules.Where(r => r.AppliesTo(kind))];

    /// <summary>Every hit of every rule on one observation; most observations hit nothing and allocate nothing.</summary>
    public IReadOnlyList<EvidenceHit> Match(Observation observation)
    {
        List<EvidenceHit>? hits = null;
        // An array and no lambda here: an interface enumerator or a captured closure would allocate on every call.
        var rules = _byKind.TryGetValue(observation.Kind, out var known) ? known : Unindexed(observation.Kind);
        foreach (var rule in rules)
        {
            // The kind index already chose the rules for this kind; only the condition is left.
            if (!rule.ConditionHolds(observation)) continue;
            (hits ??= []).Add(new EvidenceHit(rule, observation, Record(rule, observation)));
        }
        return hits is null ? Array.Empty<EvidenceHit>() : hits;
    }

    /// <summary>Streams the hits over a sequence of observations (lazy: pulls one observation at a time).</summary>
    public IEnumerable<EvidenceHit> Classify(IEnumerable<Observation> observations)
    {
        foreach (var observation in observations)
            foreach (var hit in Match(observation))
                yield return hit;
    }

    private static List<KeyValuePair<string, string>> Record(Rule rule, Observation observation)
    {
        var records = new List<KeyValuePair<string, string>>(rule.Evidence.Records.Count);
        foreach (var spec in rule.Evidence.Records)
            foreach (var value in FieldValues.All(observation, spec.Path))
                records.Add(new KeyValuePair<string, string>(spec.Name, value));
        return records;
    }
}
