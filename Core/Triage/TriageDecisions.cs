namespace ShadowMcp.Core.Triage;

/// <summary>
/// What triage asks of the enforcer: <paramref name="NeverBlock"/> are approved findings and false positives (both
/// exceptions to any block), <paramref name="Block"/> the findings marked blocked (planned even when the policy's
/// selection would pass them over). Endpoint keys, compared as the policy compares finding keys.
/// </summary>
public sealed record TriageDecisions(IReadOnlySet<string> NeverBlock, IReadOnlySet<string> Block)
{
    public static TriageDecisions None { get; } = new(new HashSet<string>(), new HashSet<string>());
}
