namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// A backend would write a rule that stops a sanctioned endpoint; nothing is applied. Each conflict names the
/// backend, the rule, how far it reaches and what it would stop.
/// </summary>
public sealed class SanctionedConflictException(IReadOnlyList<string> conflicts)
    : Exception("refusing to block sanctioned endpoints: " + string.Join("; ", conflicts))
{
    public IReadOnlyList<string> Conflicts { get; } = conflicts;
}
