using Microsoft.Extensions.Logging;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Triage;

/// <summary>
/// The admin UI's triage: reads a finding's state and history, and records actions through Core's
/// <see cref="TriageLedger"/> (the only writer). Each action is audited twice: as history rows in the store (who,
/// when, from → to, note) and as a log line naming the actor and how many findings changed.
/// </summary>
internal sealed partial class TriageService(AdminStore store, TimeProvider time, ILogger<TriageService> logger)
{
    /// <summary>The finding's triage state and its history, newest first.</summary>
    public async Task<(TriageState State, IReadOnlyList<TriageEvent> History)> GetAsync(string endpointKey, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var reader = new TriageReader(db);
        var state = await reader.StateAsync(endpointKey, cancellationToken).ConfigureAwait(false);
        var history = await reader.HistoryAsync(endpointKey, cancellationToken).ConfigureAwait(false);
        return (state, history);
    }

    /// <summary>Records <paramref name="change"/> on every key as <paramref name="actor"/>, at the clock's now.</summary>
    public async Task<TriageOutcome> ApplyAsync(IReadOnlyCollection<string> endpointKeys, TriageChange change, string actor, CancellationToken cancellationToken)
    {
        if (endpointKeys.Count == 0) return new TriageOutcome(false, "No findings were selected.");
        await using var db = store.Open();
        int changed;
        try
        {
            changed = TriageLedger.Apply(db, endpointKeys, change, actor, time.GetUtcNow().UtcDateTime);
        }
        catch (TriageException ex)
        {
            return new TriageOutcome(false, ex.Message);
        }
        LogTriage(logger, actor, changed, endpointKeys.Count, change.Status?.ToWire() ?? "unchanged", change.Owner is not null, change.Note is not null);
        var what = change.Status is { } s ? $"status {s.ToLabel()}" : "triage";
        return new TriageOutcome(true, changed == 0
            ? "Nothing changed: the findings already had that status and owner."
            : $"Recorded {what} on {changed} finding{(changed == 1 ? "" : "s")}.", changed);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Triage by {Actor}: {Changed} of {Selected} finding(s) changed; status {Status}, owner set {OwnerSet}, note {NoteAdded}")]
    private static partial void LogTriage(ILogger logger, string actor, int changed, int selected, string status, bool ownerSet, bool noteAdded);
}
