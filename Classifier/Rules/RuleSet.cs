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
    private readonly Dictionary<string, KindRules> _byKind = new(StringComparer.Ordinal);

    public RuleSet(IEnumerable<Rule> rules)
    {
        Rules = rules.ToList();
        foreach (var kind in ObservationKinds.All)
            _byKind[kind] = new KindRules([.. Rules.Where(r => r.AppliesTo(kind))]);
    }

    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>Lints and compiles the rules in a directory; throws <see cref="RuleLoadException"/> on any error.</summary>
    public static RuleSet Load(string directory)
    {
        var result = RuleLinter.LintDirectory(directory);
        if (result.HasErrors) throw new RuleLoadException(result.Diagnostics);
        return new RuleSet(result.Rules);
    }

    /// <summary>
    /// Builds the rules' regexes on a pool thread, so that the first observation that tests one does not wait for it
    /// (each is otherwise built on first use, see <see cref="RulePattern"/>): a scan's start-up and its first packets
    /// overlap the build instead of waiting for it.
    /// </summary>
    public void PrepareInBackground() => ThreadPool.UnsafeQueueUserWorkItem(static rules =>
    {
        try
        {
            rules.Prepare();
        }
        catch (Exception)
        {
            // Each regex remembers its own failure and raises it where it is used; a pool thread must not end the process.
        }
    }, this, preferLocal: false);

    /// <summary>Builds every regex a match can run.</summary>
    internal void Prepare()
    {
        foreach (var rule in Rules)
            foreach (var selection in rule.Detection.Selections.Values)
                foreach (var alternative in selection.Alternatives)
                    foreach (var matcher in alternative)
                        matcher.Prepare();
    }

    /// <summary>Rules that may fire on an observation of this kind.</summary>
    public IReadOnlyList<Rule> RulesFor(string kind) => For(kind).Rules;

    /// <summary>The index of the kind's rules; a kind outside the catalogue gets one made on the spot.</summary>
    internal KindRules For(string kind) => _byKind.TryGetValue(kind, out var rules) ? rules : Unindexed(kind);

    // Kinds come from the Scanner's code, not the wire, so the few outside the catalogue are indexed once each.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, KindRules> _unindexed = new(StringComparer.Ordinal);

    // A method of its own: the lambda's closure would otherwise be allocated on every call of For, found or not.
    private KindRules Unindexed(string kind) =>
        _unindexed.GetOrAdd(kind, k => new KindRules([.. Rules.Where(r => r.AppliesTo(k))]));

    /// <summary>Every hit of every rule on one observation; most observations hit nothing and allocate nothing.</summary>
    public IReadOnlyList<EvidenceHit> Match(Observation observation)
    {
        // The same matching the aggregator uses, then a hit object with its records per rule that holds.
        var rules = MatchRules(observation).Rules;
        if (rules.Length == 0) return Array.Empty<EvidenceHit>();
        var hits = new List<EvidenceHit>(rules.Length);
        foreach (var rule in rules) hits.Add(new EvidenceHit(rule, observation, Record(rule, observation)));
        return hits;
    }

    /// <summary>
    /// The rules an observation hits, in rule order, as one shared object per combination: what the aggregator adds,
    /// with no hit objects and no record lists (see <see cref="CollectRecords"/> for their values).
    /// </summary>
    public MatchedRules MatchRules(Observation observation) => For(observation.Kind).Match(observation);

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
        CollectRecords(rule, observation, records);
        return records;
    }

    /// <summary>
    /// Adds the rule's record name and value pairs for one observation to <paramref name="into"/>, in rule order, a
    /// record whose path repeats once per value. Index loops and no value lists: this runs for every hit.
    /// </summary>
    internal static void CollectRecords(Rule rule, Observation observation, List<KeyValuePair<string, string>> into)
    {
        var specs = rule.Evidence.Records;
        for (var s = 0; s < specs.Count; s++)
        {
            var spec = specs[s];
            if (FieldValues.IsVirtual(spec.Path))
            {
                if (FieldValues.Virtual(observation, spec.Path) is { } v) into.Add(new KeyValuePair<string, string>(spec.Name, v));
                continue;
            }
            var fields = observation.Fields;
            for (var i = fields.IndexOf(spec.Path); i >= 0; i = fields.IndexOf(spec.Path, i + 1))
                into.Add(new KeyValuePair<string, string>(spec.Name, fields.ValueAt(i)));
        }
    }
}
