using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Store;

/// <summary>
/// The Enforcer's state, action log, TTL entries and dead letters, in the shared store: a SQLite file or a
/// PostgreSQL database (the same target the detection and portal tables are in).
/// </summary>
public sealed class EnforcerStore : IDisposable
{
    private EnforcerStore(EnforcerDbContext db, StoreTarget target)
    {
        Context = db;
        Target = target;
    }

    public EnforcerDbContext Context { get; }

    /// <summary>Where the tables are; <see cref="StoreTarget.Display"/> is the form for messages.</summary>
    public StoreTarget Target { get; }

    /// <summary>
    /// Opens (creating if needed) and migrates the Enforcer tables in the store at <paramref name="target"/>: a SQLite
    /// file path or a PostgreSQL URL / connection string (<see cref="StoreTarget"/>).
    /// </summary>
    public static EnforcerStore Open(string target) => Open(StoreTarget.Parse(target));

    /// <exception cref="StoreException">
    /// The store cannot be opened or migrated (the message names it, password masked).
    /// </exception>
    public static EnforcerStore Open(StoreTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var db = EnforcerDbContext.Open(target);
        try { StoreMigrator.Migrate(db, target.Display, "enforcer tables"); }
        catch { db.Dispose(); throw; }
        return new EnforcerStore(db, target);
    }

    public IReadOnlyList<BlockEntry> GetApplied(string backend) =>
        Context.BackendStates.AsNoTracking().SingleOrDefault(s => s.Backend == backend) is { } row ? EntryJson.Read(row.AppliedJson) : [];

    public void SetState(
        string backend, IReadOnlyList<BlockEntry>? desired, IReadOnlyList<BlockEntry> applied, DateTime now) =>
        SetState(backend, desired is null ? null : EntryJson.Write(desired), EntryJson.Write(applied), now);

    /// <summary>
    /// Records what a backend should hold and holds, already written as JSON (callers that have the text reuse it
    /// instead of writing 30,000 entries again). Blobs equal to the stored ones are not written again.
    /// </summary>
    public void SetState(string backend, string? desiredJson, string appliedJson, DateTime now)
    {
        var row = Context.BackendStates.SingleOrDefault(s => s.Backend == backend);
        if (row is null)
        {
            row = new BackendStateRow { Backend = backend };
            Context.BackendStates.Add(row);
        }
        if (desiredJson is not null && row.DesiredJson != desiredJson) row.DesiredJson = desiredJson;
        if (row.AppliedJson != appliedJson) row.AppliedJson = appliedJson;
        row.UpdatedAt = now;
        Context.SaveChanges();
    }

    /// <summary>
    /// Inserts new TTL rows in one go: at 30,000 new entries EF's per-entity tracking took seconds
    /// (see <see cref="TtlEntryBulkInsert"/>).
    /// </summary>
    public void AddTtlEntries(IReadOnlyCollection<string> keys, DateTime blockedAt, DateTime? expiresAt) =>
        TtlEntryBulkInsert.Run(Context, keys, blockedAt, expiresAt);

    public ActionRow AddAction(ActionRow row)
    {
        Context.Actions.Add(row);
        Context.SaveChanges();
        return row;
    }

    public IReadOnlyList<ActionRow> LoadActions() => [.. Context.Actions.AsNoTracking().OrderBy(a => a.Id)];

    /// <summary>
    /// Every action's place in the log without its state blobs (each can hold 30,000 entries), for choosing
    /// rollback targets; <see cref="LoadAction"/> then reads the few rows chosen.
    /// </summary>
    public IReadOnlyList<ActionSummary> LoadActionSummaries() =>
    [
        .. Context.Actions.AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new ActionSummary(a.Id, a.RunId, a.Command, a.Backend, a.Result, a.StateKnown, a.RollsBackTo, a.At)),
    ];

    /// <summary>The newest <paramref name="take"/> rows, newest first, leaving out rows of <paramref name="exceptBackend"/>.</summary>
    public IReadOnlyList<ActionRow> LoadLatestActions(int take, string exceptBackend) =>
        [.. Context.Actions.AsNoTracking().Where(a => a.Backend != exceptBackend).OrderByDescending(a => a.Id).Take(take)];

    public ActionRow? LoadAction(long id) => Context.Actions.AsNoTracking().SingleOrDefault(a => a.Id == id);

    public void AddDeadLetter(DeadLetterRow row)
    {
        Context.DeadLetters.Add(row);
        Context.SaveChanges();
    }

    public IReadOnlyList<DeadLetterRow> LoadDeadLetters() => [.. Context.DeadLetters.AsNoTracking().OrderBy(d => d.Id)];

    public void Dispose() => Context.Dispose();
}
