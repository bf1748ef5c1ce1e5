namespace ShadowMcp.Core.Findings;

/// <summary>
/// Every basis a finding has, strongest first, and the strongest as <see cref="Primary"/>. Never empty: a finding
/// with nothing to place has <see cref="FindingBasis.Other"/>.
/// </summary>
public sealed record FindingBases
{
    public static FindingBases None { get; } = new([FindingBasis.Other]);

    public FindingBases(IReadOnlyList<FindingBasis> all)
    {
        All = all.Count == 0 ? [FindingBasis.Other] : [.. all.Distinct().Order()];
    }

    public FindingBasis Primary => All[0];

    public IReadOnlyList<FindingBasis> All { get; }

    /// <summary>The wire names, strongest first ("content name").</summary>
    public IReadOnlyList<string> Wire => [.. All.Select(b => b.ToWire())];

    public bool Equals(FindingBases? other) => other is not null && All.SequenceEqual(other.All);

    public override int GetHashCode() => All.Aggregate(17, (h, b) => (h * 31) + (int)b);

    public override string ToString() => string.Join(' ', Wire);
}
