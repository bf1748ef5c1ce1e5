using ShadowMcp.Admin.Sources;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Engine;
using EnforceCommandNames = ShadowMcp.Enforcer.Engine.Commands;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Cli.Hosting;

/// <summary>
/// The enforcer as the admin UI and the weekly report see it inside `serve`: state and action log from the store,
/// plan/apply/rollback through the same engine as `shadowmcp enforce`, and per-finding block state for the report.
/// <c>storeTarget</c> is the sensor's store (a SQLite file or a PostgreSQL URL): the enforcer's tables are beside the
/// findings, in the same file or database.
/// </summary>
internal sealed class EnforcementDataSources(
    string policyFile, string storeTarget, Func<IReadOnlyList<SanctionedEndpoint>> sanctioned, TimeProvider time)
    : IEnforcementAdminSource, IEnforcementStateSource
{
    private readonly Lock _lock = new();
    private (string Id, BlockPlan Plan, IReadOnlyList<EnforcementPlanStep> Steps)? _pending;

    public async ValueTask<EnforcementOverview?> GetStateAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var policy = PolicyLoader.LoadFile(policyFile);
        using var store = EnforcerStore.Open(storeTarget);
        var undone = RolledBackActions.Find(store.LoadActionSummaries());
        // Only the newest rows are shown, so only they are read: each holds whole backend states.
        var recent = store.LoadLatestActions(200, EnforceCommandNames.TtlBackend);
        var actions = recent.Select(a => ActionView(a, undone, RollbackUndoes(a, recent, undone))).ToList();
        IReadOnlyList<CurrentBlock>? blocked;
        IReadOnlyList<UnblockableEndpointView>? notBlockable;
        try
        {
            var backends = BackendFactory.Create(policy, store, time);
            blocked = await CurrentBlocks.ComputeAsync(store, backends, cancellationToken);
            notBlockable = NotBlockable(policy, backends);
        }
        catch (PolicyException)
        {
            // A backend that cannot be built (e.g. its token variable is unset) must not take the page down; the
            // page then says it cannot tell what is held, and Plan reports the policy error.
            blocked = null;
            notBlockable = null;
        }
        EnforcementPlanView? pending;
        lock (_lock)
            pending = _pending is { } p ? new EnforcementPlanView(p.Id, p.Plan.CreatedAt, p.Steps) : null;
        return new EnforcementOverview(policy.Mode.ToString().ToLowerInvariant(), pending, actions, blocked?.Select(BlockView).ToList(), notBlockable);
    }

    /// <summary>Endpoints of the findings the policy selects that no configured backend can express.</summary>
    private List<UnblockableEndpointView> NotBlockable(EnforcementPolicy policy, IReadOnlyList<IEnforcementBackend> backends)
    {
        IReadOnlyList<Finding> findings;
        using (var findingStore = FindingStore.Open(storeTarget))
        {
            findings = findingStore.LoadFindings();
            policy = policy.WithTriageFrom(findingStore);
        }
        var planned = DesiredStateBuilder.Build(findings, policy, sanctioned());
        var keys = planned.SelectMany(p => p.Findings).Distinct(StringComparer.Ordinal).ToList();
        // Whether a backend holds it does not matter here, only whether one could.
        return [.. EndpointBlockStates.Compute(keys, planned, backends, _ => [])
            .Where(kv => kv.Value.Kind == EndpointBlockKind.NotBlockable)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new UnblockableEndpointView(kv.Key, kv.Value.CouldBlock))];
    }

    /// <summary>
    /// The endpoints rolling <paramref name="a"/> back changes back: a rollback restores each backend to before it, so
    /// it and every later applied change are undone. All of those are among the newest rows when <paramref name="a"/> is.
    /// </summary>
    private static IReadOnlyList<string>? RollbackUndoes(ActionRow a, IReadOnlyList<ActionRow> recent, IReadOnlyDictionary<long, ActionSummary> undone)
    {
        if (a.Result != ActionResults.Ok || a.Command == EnforceCommandNames.Rollback || undone.ContainsKey(a.Id)) return null;
        return [.. recent.Where(x => x.Id >= a.Id && x.Result == ActionResults.Ok && x.Command != EnforceCommandNames.Rollback && !undone.ContainsKey(x.Id))
            .SelectMany(x => EntryJson.Read(x.AddedJson).Concat(EntryJson.Read(x.RemovedJson)))
            .Select(EndpointName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static EnforcementActionView ActionView(ActionRow a, IReadOnlyDictionary<long, ActionSummary> undone, IReadOnlyList<string>? rollbackUndoes)
    {
        var id = a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (state, detail) =
            a.Result != ActionResults.Ok ? (a.Result, a.Error ?? $"{a.Command} by {a.Actor}")
            : a.Command == EnforceCommandNames.Rollback ? ("rollback", $"rollback by {a.Actor}, to before action {a.RollsBackTo?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}")
            : undone.TryGetValue(a.Id, out var by) ? ("rolled-back", $"{a.Command} by {a.Actor}; rolled back by action {by.Id}")
            : ("applied", $"{a.Command} by {a.Actor}");
        return new EnforcementActionView(id, ChangeNames(a), a.Backend, state, a.At, detail, rollbackUndoes);
    }

    private static CurrentBlockView BlockView(CurrentBlock b) => new(
        EndpointName(b.Entry), b.Backend, b.Entry.Action, b.ActionId?.ToString(System.Globalization.CultureInfo.InvariantCulture), b.Since, b.ExpiresAt,
        b.Verification switch
        {
            BlockVerification.Held => "held",
            BlockVerification.Missing => "missing: the backend does not hold it",
            BlockVerification.NotInLog => "not in log: held, but no action recorded it",
            _ => "unverified: the backend could not be read",
        });

    public async ValueTask<EnforcementCommandResult> PlanAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (engine, findings, allow, dispose) = Open(ActorOf(null));
            using (dispose)
            {
                var plan = await engine.PlanAsync(findings, allow, cancellationToken);
                var id = $"plan-{time.GetUtcNow():yyyyMMddHHmmss}";
                var endpoints = PlanEndpoints.Of(plan, engine.Backends);
                lock (_lock) _pending = (id, plan, [.. plan.Backends.SelectMany(d => Steps(d, endpoints))]);
                var changes = plan.Backends.Sum(b => b.Added.Count + b.Removed.Count);
                var failed = plan.Backends.Where(b => b.Error is not null).Select(b => $"{b.Backend}: {b.Error}").ToList();
                // As `enforce plan` does, so nobody reads a shadow finding missing from the steps as an oversight.
                var passedOver = plan.PassedOver.Count == 0 ? ""
                    : $"; not blocked for what their evidence rests on (select.bases): {string.Join(", ", plan.PassedOver.Select(p => $"{p.Finding} ({string.Join(" ", p.Bases)})"))}";
                return failed.Count == 0
                    ? EnforcementCommandResult.Ok($"{id}: {changes} change(s) across {plan.Backends.Count} backend(s){passedOver}")
                    : EnforcementCommandResult.Failed($"{id}: {string.Join("; ", failed)}");
            }
        }
        catch (Exception ex) when (ex is PolicyException or SanctionedConflictException or BackendException)
        {
            return EnforcementCommandResult.Failed(ex.Message);
        }
    }

    public async ValueTask<EnforcementCommandResult> ApplyAsync(string planId, string actor, CancellationToken cancellationToken)
    {
        lock (_lock)
            if (_pending?.Id != planId) return EnforcementCommandResult.Failed($"{planId} is not the current plan; plan again");
        try
        {
            var (engine, findings, allow, dispose) = Open(ActorOf(actor));
            using (dispose)
            {
                var run = await engine.ApplyAsync(findings, allow, cancellationToken);
                lock (_lock) _pending = null;
                return run.Failed
                    ? EnforcementCommandResult.Failed($"{run.RunId}: {string.Join("; ", run.Actions.Where(a => a.Error is not null).Select(a => $"{a.Backend}: {a.Error}"))}")
                    : EnforcementCommandResult.Ok($"{run.RunId}: {run.Actions.Count} backend change(s), {run.Unchanged.Count} unchanged");
            }
        }
        catch (Exception ex) when (ex is PolicyException or SanctionedConflictException or BackendException)
        {
            return EnforcementCommandResult.Failed(ex.Message);
        }
    }

    public async ValueTask<EnforcementCommandResult> RollbackAsync(string actionId, string actor, CancellationToken cancellationToken)
    {
        if (!long.TryParse(actionId, out var id)) return EnforcementCommandResult.Failed($"'{actionId}' is not an action id");
        try
        {
            var (engine, _, _, dispose) = Open(ActorOf(actor));
            using (dispose)
            {
                var run = await engine.RollbackAsync(id, cancellationToken);
                return run.Failed
                    ? EnforcementCommandResult.Failed($"{run.RunId}: rollback failed on {string.Join(", ", run.Actions.Where(a => a.Error is not null).Select(a => a.Backend))}")
                    : EnforcementCommandResult.Ok($"{run.RunId}: rolled back to before action {id}");
            }
        }
        catch (Exception ex) when (ex is PolicyException or BackendException)
        {
            return EnforcementCommandResult.Failed(ex.Message);
        }
    }

    public ValueTask<IReadOnlyDictionary<string, EnforcementState>?> GetStatesAsync(IReadOnlyCollection<string> endpointKeys, DateTime asOfUtc, CancellationToken cancellationToken)
    {
        var policy = PolicyLoader.LoadFile(policyFile);
        IReadOnlyList<Finding> findings;
        using (var findingStore = FindingStore.Open(storeTarget))
        {
            findings = findingStore.LoadFindings();
            policy = policy.WithTriageFrom(findingStore);
        }
        using var store = EnforcerStore.Open(storeTarget);
        // With the findings another finding's entry blocks as well (one server's shape and content findings share its address).
        var planned = DesiredStateBuilder.ForBlockState(findings, policy, sanctioned());
        var passedOver = findings.Where(policy.PassesOverForBasis).GroupBy(f => f.Endpoint.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => EnforcementPolicy.PassedOverReason(FindingSelection.BasesOf(g.First()).Wire), StringComparer.Ordinal);
        IReadOnlyList<IEnforcementBackend>? backends;
        try
        {
            backends = BackendFactory.Create(policy, store, time);
        }
        catch (PolicyException)
        {
            backends = null; // cannot be built here (Plan names the error): what is held is still read from the store
        }
        var states = backends is null
            ? StatesWithoutBackends(endpointKeys, planned, policy, store)
            : EndpointBlockStates.Compute(endpointKeys, planned, backends, store.GetApplied);
        // A finding the policy no longer selects may still be blocked by what an earlier plan put in place, until the
        // next apply or expiry run lifts it: "not blocked" would be false. Its own entries, read as planned.
        var unselected = states.Where(kv => kv.Value.Kind == EndpointBlockKind.NotSelected).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var lingering = new Dictionary<string, EndpointBlockState>(StringComparer.Ordinal);
        if (unselected.Count > 0)
        {
            var own = DesiredStateBuilder.OwnEntries([.. findings.Where(f => unselected.Contains(f.Endpoint.Key))], policy, sanctioned());
            var held = backends is null
                ? StatesWithoutBackends(unselected, own, policy, store)
                : EndpointBlockStates.Compute(unselected, own, backends, store.GetApplied);
            foreach (var (key, s) in held)
                if (s.Kind == EndpointBlockKind.Blocked) lingering[key] = s;
        }
        var result = new Dictionary<string, EnforcementState>(StringComparer.Ordinal);
        foreach (var (key, s) in states)
        {
            if (lingering.TryGetValue(key, out var still))
            {
                result[key] = new EnforcementState("blocked", $"{string.Join(", ", still.Backends)}; no longer selected"
                    + (passedOver.GetValueOrDefault(key) is { } why ? $" ({why})" : "") + ": the next apply lifts it");
                continue;
            }
            result[key] = s.Kind switch
            {
                EndpointBlockKind.Blocked => new EnforcementState("blocked", string.Join(", ", s.Backends)),
                EndpointBlockKind.NotSelected => new EnforcementState("not blocked", passedOver.GetValueOrDefault(key)),
                EndpointBlockKind.NotBlockable => new EnforcementState("not blockable by the configured backends",
                    $"configured: {string.Join(", ", policy.Backends.Select(b => b.Type).Distinct())}; "
                    + $"{string.Join(" or ", s.CouldBlock)} could block it"),
                _ => new EnforcementState("pending", "selected by the policy, not applied yet"),
            };
        }
        return ValueTask.FromResult<IReadOnlyDictionary<string, EnforcementState>?>(result);
    }

    /// <summary>Blocked where a backend's stored state holds a planned entry as planned; "pending" otherwise.</summary>
    private static Dictionary<string, EndpointBlockState> StatesWithoutBackends(
        IReadOnlyCollection<string> endpointKeys, IReadOnlyList<PlannedEntry> planned, EnforcementPolicy policy, EnforcerStore store)
    {
        var held = policy.Backends.Select(b => b.Name).Distinct()
            .SelectMany(name => store.GetApplied(name).Select(e => (e.Key, Backend: name))).ToLookup(x => x.Key, x => x.Backend);
        var result = new Dictionary<string, EndpointBlockState>(StringComparer.Ordinal);
        foreach (var key in endpointKeys)
        {
            var entries = planned.Where(p => p.Findings.Contains(key)).Select(p => p.Entry.Key).ToList();
            var holding = entries.SelectMany(e => held[e]).Distinct().Order(StringComparer.Ordinal).ToList();
            result[key] = holding.Count > 0 ? new EndpointBlockState(EndpointBlockKind.Blocked, holding, [])
                : new EndpointBlockState(entries.Count == 0 ? EndpointBlockKind.NotSelected : EndpointBlockKind.Pending, [], []);
        }
        return result;
    }

    /// <summary>Actions are recorded under the signed-in person, "admin-ui" for the shared token.</summary>
    private static string ActorOf(string? actor) => string.IsNullOrWhiteSpace(actor) ? "admin-ui" : actor;

    private (EnforcementEngine Engine, IReadOnlyList<Finding> Findings, IReadOnlyList<SanctionedEndpoint> Allow, IDisposable Store) Open(string actor)
    {
        var policy = PolicyLoader.LoadFile(policyFile);
        IReadOnlyList<Finding> findings;
        using (var findingStore = FindingStore.Open(storeTarget))
        {
            findings = findingStore.LoadFindings();
            policy = policy.WithTriageFrom(findingStore);
        }
        var store = EnforcerStore.Open(storeTarget);
        try
        {
            var engine = new EnforcementEngine(store, policy, BackendFactory.Create(policy, store, time), time, actor);
            return (engine, findings, sanctioned(), store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>One step per rule a backend adds or removes; a removed rule is no longer planned, so it stands for its own name.</summary>
    private static IEnumerable<EnforcementPlanStep> Steps(BackendDiff diff, IReadOnlyDictionary<(string Backend, string Key), IReadOnlyList<string>> endpoints) =>
        diff.Error is not null
            ? [new EnforcementPlanStep("", diff.Backend, "cannot read: " + diff.Error)]
            : [.. diff.Added.Select(e => new EnforcementPlanStep(e.Key, diff.Backend, "add " + e.Action, endpoints.GetValueOrDefault((diff.Backend, e.Key)) ?? [EndpointName(e)])),
               .. diff.Removed.Select(e => new EnforcementPlanStep(e.Key, diff.Backend, "remove", [EndpointName(e)], Unblocks: true))];

    /// <summary>What one backend action changed, by name: "+a, +b, -c", at most ten names and then how many more.</summary>
    private static string ChangeNames(ActionRow a)
    {
        var names = EntryJson.Read(a.AddedJson).Select(e => "+" + EndpointName(e))
            .Concat(EntryJson.Read(a.RemovedJson).Select(e => "-" + EndpointName(e))).ToList();
        if (names.Count == 0) return "no change";
        return names.Count <= 10 ? string.Join(", ", names) : string.Join(", ", names.Take(10)) + $" and {names.Count - 10} more";
    }

    /// <summary>A rule's endpoint as an admin writes it: mcp.example.com, 10.0.0.5:8123, mcp.example.com/mcp.</summary>
    private static string EndpointName(BlockEntry e) => e.Key[(e.Key.IndexOf(':', StringComparison.Ordinal) + 1)..];
}
