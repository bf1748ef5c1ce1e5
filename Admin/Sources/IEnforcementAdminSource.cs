namespace ShadowMcp.Admin.Sources;

/// <summary>
/// The enforcer as the admin UI drives it: show state, make a block plan, apply it, roll an action back. The host
/// plugs in the enforcer's implementation; without one the page says enforcement is not configured.
/// </summary>
public interface IEnforcementAdminSource
{
    /// <summary>Null when there is no enforcer.</summary>
    ValueTask<EnforcementOverview?> GetStateAsync(CancellationToken cancellationToken);

    /// <summary>Computes a block plan for the current shadow findings (nothing is changed yet).</summary>
    ValueTask<EnforcementCommandResult> PlanAsync(CancellationToken cancellationToken);

    /// <summary>Applies the plan with id <paramref name="planId"/>.</summary>
    ValueTask<EnforcementCommandResult> ApplyAsync(string planId, string actor, CancellationToken cancellationToken);

    /// <summary>Undoes one applied action.</summary>
    ValueTask<EnforcementCommandResult> RollbackAsync(string actionId, string actor, CancellationToken cancellationToken);
}
