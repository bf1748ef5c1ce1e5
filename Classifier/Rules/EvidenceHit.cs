using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Rules;

/// <summary>One rule firing on one observation, with the values its records captured.</summary>
public sealed class EvidenceHit(Rule rule, Observation observation, IReadOnlyList<KeyValuePair<string, string>> records)
{
    public Rule Rule { get; } = rule;
    public Observation Observation { get; } = observation;
    /// <summary>Record name and value pairs, in rule order; a record whose path repeats appears once per value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Records { get; } = records;

    /// <summary>
    /// "name=value name=value", or the rule title when nothing was recorded; " (decrypted)" when the observation
    /// was seen in TLS traffic decrypted with a key log.
    /// </summary>
    public string Detail => DetailOf(Rule, Observation.Basis, Records);

    /// <summary>The <see cref="Detail"/> of a hit of <paramref name="rule"/> with these records, without the hit object.</summary>
    internal static string DetailOf(Rule rule, ObservationBasis basis, IReadOnlyList<KeyValuePair<string, string>> records)
    {
        // The mark is how a stored finding still says its content was decrypted (BasisRules reads it).
        string suffix = basis == ObservationBasis.Decrypted ? BasisRules.DecryptedSuffix : "";
        if (records.Count == 0) return rule.Title + suffix;
        var parts = records.GroupBy(r => r.Key).Select(g => $"{g.Key}={string.Join(",", g.Select(r => r.Value).Distinct().Take(8))}");
        var text = string.Join(" ", parts);
        return (text.Length <= 300 ? text : text[..300] + "…") + suffix;
    }
}
