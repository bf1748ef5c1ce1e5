using ShadowMcp.Classifier.Rules;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// Where an endpoint stands when room must be made; lower goes first: context-only evidence, then the endpoints of
/// the most crowded <see cref="AddressGroup"/>, the weakest strongest rule, the fewest distinct rules, the least
/// recently seen, and finally the key, so the same input always gives up the same endpoints.
/// </summary>
internal readonly record struct EvictionRank(bool Evidence, int Crowd, EvidenceStrength Strongest, int Rules, DateTime LastSeen, string Key)
    : IComparable<EvictionRank>
{
    public static EvictionRank Of(EndpointState state, int crowd)
    {
        var strongest = EvidenceStrength.Context;
        foreach (var tally in state.Tallies.Values)
            if (tally.Rule.Evidence.Strength > strongest) strongest = tally.Rule.Evidence.Strength;
        // Not touched yet: made by an earlier hit of the observation being added, so it is the newest.
        var seen = state.LastSeen == DateTime.MinValue ? DateTime.MaxValue : state.LastSeen;
        return new EvictionRank(strongest != EvidenceStrength.Context, crowd, strongest, state.Tallies.Count, seen, state.Key);
    }

    public int CompareTo(EvictionRank other)
    {
        if (Evidence != other.Evidence) return Evidence ? 1 : -1;
        if (Crowd != other.Crowd) return other.Crowd.CompareTo(Crowd);
        if (Strongest != other.Strongest) return Strongest.CompareTo(other.Strongest);
        if (Rules != other.Rules) return Rules.CompareTo(other.Rules);
        if (LastSeen != other.LastSeen) return LastSeen.CompareTo(other.LastSeen);
        return string.CompareOrdinal(Key, other.Key);
    }
}
