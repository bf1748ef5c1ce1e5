namespace ShadowMcp.Enforcer.Planning;

/// <summary>The plan would block a sanctioned endpoint; nothing is applied.</summary>
public sealed class SanctionedConflictException(IReadOnlyList<string> conflicts)
    : Exception("refusing to block sanctioned endpoints: " + string.Join("; ", conflicts))
{
    public IReadOnlyList<string> Conflicts { get; } = conflicts;
}
