namespace ShadowMcp.Enforcer.Planning;

/// <summary>The plan has collateral (rules that stop more than the shadow endpoints) and --allow-collateral was not given.</summary>
public sealed class CollateralException(IReadOnlyList<string> items)
    : Exception("refusing collateral blocks without --allow-collateral: " + string.Join("; ", items))
{
    public IReadOnlyList<string> Items { get; } = items;
}
