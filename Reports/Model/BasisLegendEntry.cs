using ShadowMcp.Core.Findings;

namespace ShadowMcp.Reports.Model;

/// <summary>One line of the report's basis legend: the wire name, what it means and how sure it lets a reader be.</summary>
public sealed record BasisLegendEntry(string Basis, string Meaning, string Sureness)
{
    /// <summary>Every basis, strongest first, as Core describes it.</summary>
    public static IReadOnlyList<BasisLegendEntry> All { get; } =
        [.. FindingBasisNames.All.Select(b => new BasisLegendEntry(b.ToWire(), b.Meaning(), b.Sureness()))];
}
