namespace ShadowMcp.Enforcer.Engine;

/// <summary>Where one finding's endpoint stands with the enforcer.</summary>
public enum EndpointBlockKind
{
    /// <summary>The policy does not select it.</summary>
    NotSelected,
    /// <summary>At least one backend holds a rule for it (<see cref="EndpointBlockState.Backends"/>).</summary>
    Blocked,
    /// <summary>Selected, a configured backend can express it, and none holds it yet.</summary>
    Pending,
    /// <summary>Selected, but no configured backend can express any of its entries (e.g. an address under DNS backends).</summary>
    NotBlockable,
}

/// <summary>
/// One endpoint's state: <paramref name="Backends"/> names the backends holding it (when blocked);
/// <paramref name="CouldBlock"/> the backend types that could express it (when not blockable).
/// </summary>
public sealed record EndpointBlockState(EndpointBlockKind Kind, IReadOnlyList<string> Backends, IReadOnlyList<string> CouldBlock);
