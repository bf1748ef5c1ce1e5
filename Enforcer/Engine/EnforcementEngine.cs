using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// Plans, applies, rolls back and expires blocks. Each backend is handled on its own: one failing is recorded
/// and reported, and the others still run. Every change is logged with the backend's state before and after.
/// </summary>
public sealed class EnforcementEngine(
    EnforcerStore store,
    EnforcementPolicy policy,
    IReadOnlyList<IEnforcementBackend> backends,
    TimeProvider time,
    string actor)
{
    /// <summary>The backends this engine drives, in policy order.</summary>
    public IReadOnlyList<IEnforcementBackend> Backends => backends;

    /// <summary>Apply rules that stop other known services besides the shadow endpoints (see <see cref="Collateral"/>).</summary>
    public bool AllowCollateral { get; init; }

    /// <summary>
    /// Called with the name of each step of a change ("intent:NAME", "committed:NAME") before it is taken; test
    /// builds use it to stop a run at an exact moment and kill it.
    /// </summary>
    public Action<string>? Step { get; init; }

    /// <summary>Intent rows of killed runs that this engine resolved before its first command.</summary>
    public IReadOnlyList<ActionRow> Reconciled => _reconciled;

    private readonly List<ActionRow> _reconciled = [];
    private bool _reconcileDone;

    public async Task<BlockPlan> PlanAsync(IReadOnlyList<Finding> findings, IReadOnlyList<SanctionedEndpoint> sanctioned, CancellationToken ct)
    {
        await ReconcileAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var spared = new List<SparedAddress>();
        var entries = WithoutExpired(DesiredStateBuilder.Build(findings, policy, sanctioned, spared), findings);
        var desired = entries.Select(p => p.Entry).ToList();
        var check = new SafetyCheck(findings, policy.Portal, [.. sanctioned, .. policy.Allow]);
        var planned = entries.SelectMany(p => p.Findings).ToHashSet(StringComparer.Ordinal);
        var wholeAddresses = desired.Where(e => e.Kind == BlockKind.Address).Select(e => e.Target).ToHashSet(StringComparer.Ordinal);
        var conflicts = new SortedSet<string>(StringComparer.Ordinal);
        var diffs = new List<BackendDiff>();
        foreach (var backend in backends)
        {
            var want = backend.Select(desired);
            var collateral = new List<Collateral>();
            foreach (var e in want)
            {
                foreach (var reach in backend.ReachOf(e))
                {
                    foreach (var why in check.Conflicts(reach))
                        conflicts.Add($"{backend.Name}: {e.Key} (reaches {reach}) would block sanctioned {why}");
                    var widened = reach.Address is not null && reach.Port is null && !wholeAddresses.Contains(reach.Address);
                    if (check.CollateralOf(e, reach, planned, widened) is { } c) collateral.Add(c);
                }
            }
            try
            {
                diffs.Add(BackendDiff.Compute(backend.Name, await backend.ReadAsync(ct), want) with { Collateral = collateral });
            }
            catch (Exception ex) when (IsBackendFailure(ex))
            {
                diffs.Add(BackendDiff.Failed(backend.Name, want, ex.Message) with { Collateral = collateral });
            }
        }
        if (conflicts.Count > 0) throw new SanctionedConflictException([.. conflicts]);
        return new BlockPlan(now, entries, diffs) { PassedOver = PassedOverForBasis(findings, entries, sanctioned), SparedAddresses = spared };
    }

    /// <summary>
    /// Findings left unblocked only because of what their evidence rests on (select.bases), in key order; not those
    /// another finding's planned entry blocks all the same (<see cref="DesiredStateBuilder.AlsoBlocked"/>).
    /// </summary>
    private List<PassedOverFinding> PassedOverForBasis(IReadOnlyList<Finding> findings, IReadOnlyList<PlannedEntry> entries,
        IReadOnlyList<SanctionedEndpoint> sanctioned)
    {
        var passed = findings.Where(policy.PassesOverForBasis).ToList();
        if (passed.Count == 0) return [];
        var alsoBlocked = DesiredStateBuilder.AlsoBlocked(passed, policy, entries, sanctioned).Values.SelectMany(k => k).ToHashSet(StringComparer.Ordinal);
        return
        [
            .. passed
                .Where(f => !alsoBlocked.Contains(f.Endpoint.Key))
                .Select(f => new PassedOverFinding(f.Endpoint.Key, FindingSelection.BasesOf(f).Wire))
                .DistinctBy(p => p.Finding)
                .OrderBy(p => p.Finding, StringComparer.Ordinal),
        ];
    }

    public Task<RunReport> ApplyAsync(IReadOnlyList<Finding> findings, IReadOnlyList<SanctionedEndpoint> sanctioned, CancellationToken ct) =>
        ApplyAsync(findings, sanctioned, Commands.Apply, NewRunId(), [], ct);

    /// <summary>Lifts every entry whose TTL has passed, records that, and applies the result to every backend.</summary>
    public async Task<RunReport> ExpireAsync(IReadOnlyList<Finding> findings, IReadOnlyList<SanctionedEndpoint> sanctioned, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var runId = NewRunId();
        var due = store.Context.TtlEntries.Where(t => t.ExpiredAt == null && t.ExpiresAt != null && t.ExpiresAt <= now).ToList();
        var log = new List<ActionRow>();
        if (due.Count > 0)
        {
            foreach (var t in due) t.ExpiredAt = now;
            store.Context.SaveChanges();
            log.Add(store.AddAction(new ActionRow
            {
                RunId = runId, At = now, Actor = actor, Command = Commands.Expire, Backend = Commands.TtlBackend,
                Result = ActionResults.Ok,
                RemovedJson = System.Text.Json.JsonSerializer.Serialize(due.Select(t => t.EntryKey).Order(StringComparer.Ordinal)),
            }));
        }
        return await ApplyAsync(findings, sanctioned, Commands.Expire, runId, log, ct);
    }

    /// <summary>
    /// Restores backends to the state they held before action <paramref name="toActionId"/> (each backend to its
    /// state before its first action at or after that id), or, without an id, before the latest apply/expire run.
    /// </summary>
    public async Task<RunReport> RollbackAsync(long? toActionId, CancellationToken ct)
    {
        await ReconcileAsync(ct);
        var summaries = store.LoadActionSummaries();
        var actions = summaries
            .Where(a => a.Backend != Commands.TtlBackend && a.StateKnown && a.Result != ActionResults.Pending).ToList();
        var targets = new Dictionary<string, ActionSummary>(StringComparer.Ordinal);
        if (toActionId is { } id)
        {
            var named = summaries.FirstOrDefault(a => a.Id == id)
                ?? throw new BackendException($"there is no action {id} in the log");
            if (named.Command == Commands.Rollback)
                throw new BackendException($"action {id} is itself a rollback; roll back the action it undid to change it again");
            // A second rollback of the same action would "succeed" while changing nothing: refuse it instead.
            if (RolledBackActions.Find(summaries).TryGetValue(id, out var by))
                throw new BackendException(
                    $"action {id} was already rolled back by action {by.Id} at {by.At:yyyy-MM-dd HH:mm:ss} UTC; nothing to undo");
            foreach (var a in actions.Where(a => a.Id >= id))
                targets.TryAdd(a.Backend, a);
        }
        else
        {
            var last = actions.LastOrDefault(a => a.Command != Commands.Rollback)
                ?? throw new BackendException("nothing to roll back: no apply in the log");
            foreach (var a in actions.Where(a => a.RunId == last.RunId))
                targets.TryAdd(a.Backend, a);
        }

        var runId = NewRunId();
        var log = new List<ActionRow>();
        var unchanged = new List<string>();
        foreach (var (name, summary) in targets)
        {
            var row = store.LoadAction(summary.Id)!;
            var backend = backends.FirstOrDefault(b => b.Name == name);
            if (backend is null)
            {
                log.Add(Record(runId, Commands.Rollback, name, [], [], [], [], $"backend '{name}' is not in the policy", stateKnown: false));
                continue;
            }
            // A file that is wholly ours goes back to its exact earlier bytes; other backends to the earlier entries.
            var bytes = backend is FileBackend { OwnsWholeFile: true } && row.BeforeFile is { } b ? b : null;
            var target = EntryJson.Read(row.BeforeJson);
            var result = await ChangeAsync(backend, target, runId, Commands.Rollback, desiredForStore: null, ct,
                beforeFile: bytes, rollsBackTo: summary.Id);
            if (result is not null)
            {
                log.Add(result);
                continue;
            }
            unchanged.Add(name);
            // The backend already held the state before: still recorded, so the action shows as rolled back and a
            // second rollback of it is refused.
            log.Add(Record(runId, Commands.Rollback, name, [], [], target, target, null, rollsBackTo: summary.Id));
        }
        return new RunReport(runId, Commands.Rollback, log, unchanged);
    }

    private async Task<RunReport> ApplyAsync(
        IReadOnlyList<Finding> findings, IReadOnlyList<SanctionedEndpoint> sanctioned, string command, string runId, List<ActionRow> log, CancellationToken ct)
    {
        var plan = await PlanAsync(findings, sanctioned, ct);
        // Collateral already held was allowed when it was added; only new rules need the flag.
        var collateral = new List<string>();
        foreach (var b in plan.Backends)
        {
            var added = b.Added.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            collateral.AddRange(b.Collateral.Where(c => added.Contains(c.Entry)).Select(c => $"{b.Backend}: {c}"));
        }
        if (collateral.Count > 0 && !AllowCollateral) throw new CollateralException(collateral);
        var unchanged = new List<string>();
        foreach (var diff in plan.Backends)
        {
            var backend = backends.First(b => b.Name == diff.Backend);
            if (diff.Error is not null)
            {
                log.Add(Record(runId, command, diff.Backend, [], [], [], [], diff.Error, stateKnown: false));
                continue;
            }
            if (!diff.HasChanges)
            {
                unchanged.Add(diff.Backend);
                // Both lists are sorted; when they are the same list, one JSON text serves for both.
                var desiredJson = EntryJson.Write(diff.Desired);
                var currentJson = diff.Current.SequenceEqual(diff.Desired)
                    ? desiredJson
                    : EntryJson.Write(diff.Current);
                store.SetState(diff.Backend, desiredJson, currentJson, time.GetUtcNow().UtcDateTime);
                continue;
            }
            var row = await ChangeAsync(backend, diff.Desired, runId, command, diff.Desired, ct, diff.Current);
            if (row is null) unchanged.Add(diff.Backend);
            else log.Add(row);
        }
        TrackTtl(plan.Entries);
        return new RunReport(runId, command, log, unchanged);
    }

    /// <summary>
    /// Moves one backend to <paramref name="target"/> (or, for a file, to the exact <paramref name="beforeFile"/>
    /// bytes) and logs it; null when it already held it. The action row is written first as an intent (desired
    /// state, state before, file bytes before, this process), and completed with the read-back outcome.
    /// </summary>
    private async Task<ActionRow?> ChangeAsync(
        IEnforcementBackend backend, IReadOnlyList<BlockEntry> target, string runId, string command,
        IReadOnlyList<BlockEntry>? desiredForStore, CancellationToken ct, IReadOnlyList<BlockEntry>? knownBefore = null,
        string? beforeFile = null, long? rollsBackTo = null)
    {
        IReadOnlyList<BlockEntry> before;
        try
        {
            before = knownBefore ?? await backend.ReadAsync(ct);
        }
        catch (Exception ex) when (IsBackendFailure(ex))
        {
            return Record(runId, command, backend.Name, [], [], [], [], ex.Message, stateKnown: false);
        }
        var diff = BackendDiff.Compute(backend.Name, before, target);
        var file = backend as FileBackend;
        var snapshot = file is null ? null : FileSnapshot.Encode(file.Snapshot());
        var restoreBytes = beforeFile is not null && beforeFile != snapshot;
        if (!diff.HasChanges && !restoreBytes) return null;

        var (group, start) = RunnerProcess.Self();
        // Each state is written to JSON once and the text reused: at 30,000 entries the writing is the cost.
        var beforeJson = EntryJson.Write(before);
        var intentJson = EntryJson.Write(diff.Desired);
        var row = store.AddAction(new ActionRow
        {
            RunId = runId, At = time.GetUtcNow().UtcDateTime, Actor = actor, Command = command, Backend = backend.Name,
            Result = ActionResults.Pending, AddedJson = EntryJson.Write(diff.Added), RemovedJson = EntryJson.Write(diff.Removed),
            BeforeJson = beforeJson, AfterJson = beforeJson, IntentJson = intentJson,
            BeforeFile = snapshot, RunnerPid = group, RunnerStart = start, RollsBackTo = rollsBackTo,
        });
        Step?.Invoke($"intent:{backend.Name}");

        string? error = null;
        IReadOnlyList<BlockEntry> after = before;
        try
        {
            if (restoreBytes) await file!.RestoreAsync(FileSnapshot.Decode(beforeFile!), ct);
            else await backend.ApplyAsync(diff.Desired, ct);
        }
        catch (Exception ex) when (IsBackendFailure(ex))
        {
            error = ex.Message;
        }
        Step?.Invoke($"committed:{backend.Name}");
        try
        {
            after = await backend.ReadAsync(ct);
            if (error is null && !after.ToHashSet().SetEquals(diff.Desired))
            {
                var check = BackendDiff.Compute(backend.Name, after, diff.Desired);
                error = $"after apply the backend does not hold what was written: missing [{string.Join(", ", check.Added)}], "
                    + $"unexpected [{string.Join(", ", check.Removed)}]";
            }
        }
        catch (Exception ex) when (IsBackendFailure(ex))
        {
            error ??= "applied, but reading the state back failed: " + ex.Message;
        }
        var afterJson = after.Order(BlockEntry.Order).SequenceEqual(diff.Desired) ? intentJson : EntryJson.Write(after);
        var desiredJson = desiredForStore is null ? null
            : ReferenceEquals(desiredForStore, target) ? intentJson : EntryJson.Write(desiredForStore);
        store.SetState(backend.Name, desiredJson, afterJson, time.GetUtcNow().UtcDateTime);
        return Complete(row, afterJson, error);
    }

    private static ActionRow Counted(ActionRow row)
    {
        EnforcerMetrics.Completed(row);
        return row;
    }

    private ActionRow Complete(ActionRow row, IReadOnlyList<BlockEntry> after, string? error) =>
        Complete(row, EntryJson.Write(after), error);

    private ActionRow Complete(ActionRow row, string afterJson, string? error)
    {
        row.Result = error is null ? ActionResults.Ok : ActionResults.Failed;
        row.Error = error;
        row.AfterJson = afterJson;
        store.Context.SaveChanges();
        EnforcerMetrics.Completed(row);
        return row;
    }

    /// <summary>
    /// Resolves intent rows a killed run left pending: first kills that run's leftover children, then reads what
    /// each backend really holds. Holding the intended state completes the record; anything else is put back to
    /// the state before (exact file bytes for files), so no block is held that no row records.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken ct)
    {
        if (_reconcileDone) return;
        _reconcileDone = true;
        var pending = store.Context.Actions.Where(a => a.Result == ActionResults.Pending).OrderBy(a => a.Id).ToList();
        foreach (var row in pending)
        {
            if (row.RunnerPid is { } group) RunnerProcess.KillLeftovers(group, row.RunnerStart ?? 0);
            var backend = backends.FirstOrDefault(b => b.Name == row.Backend);
            if (backend is null)
            {
                row.StateKnown = false;
                _reconciled.Add(Complete(row, [], $"killed mid-change; backend '{row.Backend}' is no longer in the policy, its state is unknown"));
                continue;
            }
            var intent = EntryJson.Read(row.IntentJson ?? "[]").ToHashSet();
            var before = EntryJson.Read(row.BeforeJson);
            string? error;
            try
            {
                var held = await backend.ReadAsync(ct);
                if (held.ToHashSet().SetEquals(intent) && FileMatchesIntent(backend, held))
                {
                    store.SetState(backend.Name, null, held, time.GetUtcNow().UtcDateTime);
                    _reconciled.Add(Complete(row, held, null));
                    continue;
                }
                if (backend is FileBackend { } file && row.BeforeFile is { } bytes)
                {
                    if (FileSnapshot.Encode(file.Snapshot()) != bytes) await file.RestoreAsync(FileSnapshot.Decode(bytes), ct);
                }
                else if (!held.ToHashSet().SetEquals(before))
                {
                    await backend.ApplyAsync(before, ct);
                }
                var now = await backend.ReadAsync(ct);
                error = now.ToHashSet().SetEquals(before)
                    ? "killed mid-change; the change did not take effect and the state before was kept or put back"
                    : "killed mid-change; putting the state before back did not read back as it was";
                store.SetState(backend.Name, null, now, time.GetUtcNow().UtcDateTime);
                _reconciled.Add(Complete(row, now, error));
            }
            catch (Exception ex) when (IsBackendFailure(ex))
            {
                row.StateKnown = false;
                _reconciled.Add(Complete(row, before, "killed mid-change; reading the backend to reconcile failed: " + ex.Message));
            }
        }
    }

    /// <summary>A file backend holds the intent only when the file says it too (a live resolver can lag behind a rewritten file).</summary>
    private static bool FileMatchesIntent(IEnforcementBackend backend, IReadOnlyList<BlockEntry> held) =>
        backend is not FileBackend file || file.FileEntries().ToHashSet().SetEquals(held);

    private static bool IsBackendFailure(Exception ex) =>
        ex is BackendException or IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException
            or System.Text.Json.JsonException or FormatException;

    private ActionRow Record(
        string runId, string command, string backend, IReadOnlyList<BlockEntry> added, IReadOnlyList<BlockEntry> removed,
        IReadOnlyList<BlockEntry> before, IReadOnlyList<BlockEntry> after, string? error, bool stateKnown = true, long? rollsBackTo = null) =>
        Counted(store.AddAction(new ActionRow
        {
            RunId = runId,
            At = time.GetUtcNow().UtcDateTime,
            Actor = actor,
            Command = command,
            Backend = backend,
            Result = error is null ? ActionResults.Ok : ActionResults.Failed,
            Error = error,
            AddedJson = EntryJson.Write(added),
            RemovedJson = EntryJson.Write(removed),
            BeforeJson = EntryJson.Write(before),
            AfterJson = EntryJson.Write(after),
            StateKnown = stateKnown,
            RollsBackTo = rollsBackTo,
        }));

    /// <summary>Drops entries whose TTL has lapsed, unless one of their findings was seen again after the lapse.</summary>
    private IReadOnlyList<PlannedEntry> WithoutExpired(IReadOnlyList<PlannedEntry> entries, IReadOnlyList<Finding> findings)
    {
        var expired = store.Context.TtlEntries.Where(t => t.ExpiredAt != null).ToDictionary(t => t.EntryKey, t => t.ExpiredAt!.Value);
        if (expired.Count == 0) return entries;
        var lastSeen = findings.GroupBy(f => f.Endpoint.Key).ToDictionary(g => g.Key, g => g.Max(f => f.LastSeen));
        return [.. entries.Where(p => !expired.TryGetValue(p.Entry.Key, out var at)
            || p.Findings.Any(k => lastSeen.TryGetValue(k, out var seen) && seen > at))];
    }

    private void TrackTtl(IReadOnlyList<PlannedEntry> entries)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // Only the keys and lapse times are read, untracked: tracking 30,000 unchanged rows cost more than the rest.
        var known = store.Context.TtlEntries.AsNoTracking()
            .Select(t => new { t.EntryKey, t.ExpiredAt })
            .ToDictionary(t => t.EntryKey, t => t.ExpiredAt, StringComparer.Ordinal);
        var renew = new List<string>();
        var fresh = new List<string>();
        foreach (var key in entries.Select(p => p.Entry.Key).Distinct())
        {
            if (!known.TryGetValue(key, out var expiredAt)) fresh.Add(key);
            else if (expiredAt is not null) renew.Add(key);
        }
        store.AddTtlEntries(fresh, now, now + policy.Ttl);
        if (renew.Count == 0) return;
        // Seen again after it lapsed: a fresh block with a fresh TTL.
        foreach (var row in store.Context.TtlEntries.Where(t => renew.Contains(t.EntryKey)).ToList())
        {
            row.ExpiredAt = null;
            row.BlockedAt = now;
            row.ExpiresAt = now + policy.Ttl;
        }
        store.Context.SaveChanges();
    }

    private static string NewRunId() => Guid.NewGuid().ToString("N")[..12];
}
