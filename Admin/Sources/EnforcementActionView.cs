namespace ShadowMcp.Admin.Sources;

/// <summary>
/// An action the enforcer took. <paramref name="EndpointKey"/> names what it changed. <paramref name="State"/> is
/// "applied", "rolled-back" (a later rollback undid it), "rollback" (the row of a rollback itself) or "failed";
/// only applied ones can be rolled back. <paramref name="RollbackUndoes"/> names the endpoints a rollback of it
/// would change back (it and every later action are undone), for the confirm prompt; null when the source cannot tell.
/// </summary>
public sealed record EnforcementActionView(
    string Id, string EndpointKey, string Mechanism, string State, DateTime AppliedUtc, string? Detail, IReadOnlyList<string>? RollbackUndoes = null)
{
    public bool CanRollBack => string.Equals(State, "applied", StringComparison.OrdinalIgnoreCase);

    /// <summary>The state in words for the page.</summary>
    public string StateLabel => State switch
    {
        "rolled-back" => "rolled back",
        _ => State,
    };
}
