using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Store;

/// <summary>The Enforcer's state, action log, TTL entries and dead letters, in the shared store file.</summary>
public sealed class EnforcerStore : IDisposable
{
    private EnforcerStore(EnforcerDbContext db) => Context = db;

    public EnforcerDbContext Context { get; }

    /// <summary>Opens (creating if needed) and migrates the Enforcer tables in the store at <paramref name="path"/>.</summary>
    public static EnforcerStore Open(string path)
    {
        var db = EnforcerDbContext.Open(path);
        try { StoreMigrator.Migrate(db, path, "enforcer tables"); }
        catch { db.Dispose(); throw; }
        return new EnforcerStore(db);
    }

    public IReadOnlyList<BlockEntry> GetApplied(string backend) =>
        Context.BackendStates.AsNoTracking().SingleOrDefault(s => s.Backend == backend) is { } row ? EntryJson.Read(row.AppliedJson) : [];

    public void SetState(string backend, IReadOnlyList<BlockEntry>? desired, IReadOnlyList<BlockEntry> applied, DateTime now)
    {
        var row = Context.BackendStates.SingleOrDefault(s => s.Backend == backend);
        if (row is null)
        {
            row = new BackendStateRow { Backend = backend };
            Context.BackendStates.Add(row);
        }
        if (desired is not null) row.DesiredJson = EntryJson.Write(desired);
        row.AppliedJson = EntryJson.Write(applied);
        row.UpdatedAt = now;
        Context.SaveChanges();
    }

    public ActionRow AddAction(ActionRow row)
    {
        Context.Actions.Add(row);
        Context.SaveChanges();
        return row;
    }

    public IReadOnlyList<ActionRow> LoadActions() => [.. Context.Actions.AsNoTracking().OrderBy(a => a.Id)];

    public void AddDeadLetter(DeadLetterRow row)
    {
        Context.DeadLetters.Add(row);
        Context.SaveChanges();
    }

    public IReadOnlyList<DeadLetterRow> LoadDeadLetters() => [.. Context.DeadLetters.AsNoTracking().OrderBy(d => d.Id)];

    public void Dispose() => Context.Dispose();
}
