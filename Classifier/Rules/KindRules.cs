using System.Collections.Concurrent;
using ShadowMcp.Classifier.Conditions;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Rules;

/// <summary>
/// The rules of one observation kind, each with the fields its condition needs (<see cref="RequiredFields"/>) as a
/// bit mask over the kind's tested fields. Per observation the fields present are found once, and a rule whose
/// needed field is absent is skipped without evaluating its condition: most rules fail on a missing field, and
/// several rules test the same ones. Immutable and safe to share across threads.
/// </summary>
internal sealed class KindRules
{
    // At most 64 fields get a bit; a rule's field beyond them is simply not checked in advance (the condition still is).
    private const int MaxIndexedFields = 64;

    private readonly string[] _fields;
    private readonly ulong[] _needs;

    public KindRules(IReadOnlyList<Rule> rules)
    {
        Rules = [.. rules];
        _needs = new ulong[Rules.Length];
        var bits = new Dictionary<string, int>(StringComparer.Ordinal);
        var fields = new List<string>();
        for (var r = 0; r < Rules.Length; r++)
        {
            // Sorted so the bit order does not depend on hash order.
            foreach (var field in RequiredFields.Of(Rules[r].Detection.Condition).Order(StringComparer.Ordinal))
            {
                if (!bits.TryGetValue(field, out var bit))
                {
                    if (fields.Count == MaxIndexedFields) continue;
                    bits[field] = bit = fields.Count;
                    fields.Add(field);
                }
                _needs[r] |= 1UL << bit;
            }
        }
        _fields = [.. fields];
    }

    public Rule[] Rules { get; }

    /// <summary>The fields a rule of this kind needs, for tests and the docs.</summary>
    public IReadOnlyList<string> IndexedFields => _fields;

    /// <summary>The bit mask of the fields a rule needs (bit i = <see cref="IndexedFields"/>[i]).</summary>
    public ulong Needs(int rule) => _needs[rule];

    /// <summary>Which of the indexed fields the observation carries, one bit each. Decodes no value.</summary>
    public ulong Present(Observation observation)
    {
        var fields = observation.Fields;
        ulong present = 0;
        for (var i = 0; i < _fields.Length; i++)
            if (fields.IndexOf(_fields[i]) >= 0) present |= 1UL << i;
        return present;
    }

    /// <summary>
    /// The rules that hit the observation, as the one shared <see cref="MatchedRules"/> of that combination. Safe to
    /// call from several threads; allocates only the first time a combination is seen.
    /// </summary>
    public MatchedRules Match(Observation observation)
    {
        var present = Present(observation);
        ulong hit = 0;
        List<Rule>? beyond = null; // rules past the 64th: a kind with that many makes a list per observation
        for (var r = 0; r < Rules.Length; r++)
        {
            if (!Holds(r, present, observation)) continue;
            if (r < 64) hit |= 1UL << r;
            else (beyond ??= []).Add(Rules[r]);
        }
        if (beyond is not null) return new MatchedRules([.. RulesOf(hit), .. beyond]);
        if (hit == 0) return MatchedRules.None;
        if (_combinations.TryGetValue(hit, out var known)) return known;
        var made = new MatchedRules(RulesOf(hit));
        // Combinations seen on the wire are few; the bound only keeps a pathological rule set from growing the table.
        // A counter of our own: ConcurrentDictionary.Count takes every lock of the table.
        if (Volatile.Read(ref _cached) >= MaxCombinations) return made;
        var kept = _combinations.GetOrAdd(hit, made);
        if (ReferenceEquals(kept, made)) Interlocked.Increment(ref _cached);
        return kept;
    }

    private const int MaxCombinations = 4096;
    private readonly ConcurrentDictionary<ulong, MatchedRules> _combinations = new();
    private int _cached;

    private Rule[] RulesOf(ulong bits)
    {
        var rules = new Rule[System.Numerics.BitOperations.PopCount(bits)];
        for (int r = 0, n = 0; bits != 0; r++, bits >>= 1)
            if ((bits & 1) != 0) rules[n++] = Rules[r];
        return rules;
    }

    /// <summary>True when rule <paramref name="rule"/>'s needed fields are all in <paramref name="present"/> and its condition holds.</summary>
    public bool Holds(int rule, ulong present, Observation observation) =>
        (_needs[rule] & ~present) == 0 && Rules[rule].ConditionHolds(observation);
}
