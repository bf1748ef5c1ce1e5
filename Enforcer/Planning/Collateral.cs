namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// A written rule that stops more than the shadow endpoints it was planned for: which rule, how far it reaches,
/// and the other known services it would cut off (<see cref="Others"/> counts them). Applying it needs an
/// explicit <c>--allow-collateral</c>.
/// </summary>
public sealed record Collateral(string Entry, string Reach, IReadOnlyList<string> Others)
{
    public override string ToString() =>
        $"{Entry} reaches {Reach}: {Others.Count} other known service(s)"
        + (Others.Count > 0 ? $" [{string.Join(", ", Others)}]" : "") + "; services never captured are hit too";
}
