using ShadowMcp.Admin.Sources;

namespace ShadowMcp.Admin.Tests.Support;

/// <summary>
/// An in-memory enforcer behind the admin seam: plan makes one step per given endpoint, apply turns the steps into
/// applied actions, rollback marks one rolled back; "Currently blocked" and "Not blockable" show what a test sets. Counts calls so tests can tell a dismissed confirm from a sent POST.
/// </summary>
internal sealed class FakeEnforcementSource(params string[] shadowEndpoints) : IEnforcementAdminSource
{
    private readonly Lock _gate = new();
    private readonly List<EnforcementActionView> _actions = [];
    private EnforcementPlanView? _plan;
    private int _plans;

    /// <summary>What "Currently blocked" shows; null makes the page say it cannot tell.</summary>
    public IReadOnlyList<CurrentBlockView>? Blocked { get; set; } = [];

    /// <summary>What "Not blockable by the configured backends" shows.</summary>
    public IReadOnlyList<UnblockableEndpointView>? NotBlockable { get; set; }

    public int PlanCalls { get; private set; }
    public int ApplyCalls { get; private set; }
    public int RollbackCalls { get; private set; }

    public ValueTask<EnforcementOverview?> GetStateAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return ValueTask.FromResult<EnforcementOverview?>(new EnforcementOverview("nftables (test)", _plan, [.. _actions], Blocked, NotBlockable));
    }

    public ValueTask<EnforcementCommandResult> PlanAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            PlanCalls++;
            _plans++;
            _plan = new EnforcementPlanView($"plan-{_plans}", DateTime.UtcNow,
                [.. shadowEndpoints.Select(e => new EnforcementPlanStep(e, $"nft drop {e.Split('/')[0]}", "shadow MCP server"))]);
            return ValueTask.FromResult(EnforcementCommandResult.Ok($"Plan {_plan.Id} made with {_plan.Steps.Count} steps."));
        }
    }

    public ValueTask<EnforcementCommandResult> ApplyAsync(string planId, string actor, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ApplyCalls++;
            if (_plan is null || _plan.Id != planId)
                return ValueTask.FromResult(EnforcementCommandResult.Failed($"No pending plan {planId}."));
            foreach (var step in _plan.Steps)
                _actions.Add(new EnforcementActionView($"act-{_actions.Count + 1}", step.EndpointKey, step.Mechanism, "applied", DateTime.UtcNow, $"from {planId}", [step.EndpointKey]));
            var applied = _plan;
            _plan = null;
            return ValueTask.FromResult(EnforcementCommandResult.Ok($"Plan {applied.Id} applied."));
        }
    }

    public ValueTask<EnforcementCommandResult> RollbackAsync(string actionId, string actor, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            RollbackCalls++;
            var i = _actions.FindIndex(a => a.Id == actionId);
            if (i < 0 || !_actions[i].CanRollBack)
                return ValueTask.FromResult(EnforcementCommandResult.Failed($"Action {actionId} cannot be rolled back."));
            _actions[i] = _actions[i] with { State = "rolled-back", RollbackUndoes = null };
            return ValueTask.FromResult(EnforcementCommandResult.Ok($"Action {actionId} rolled back."));
        }
    }
}
