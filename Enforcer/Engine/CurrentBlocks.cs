using Microsoft.EntityFrameworkCore;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// What is blocked now, per backend and rule: replayed from the action log (each backend's last recorded state,
/// and the latest action that added each rule), then checked against what the backend reads back.
/// </summary>
public static class CurrentBlocks
{
    public static async Task<IReadOnlyList<CurrentBlock>> ComputeAsync(
        EnforcerStore store, IReadOnlyList<IEnforcementBackend> backends, CancellationToken ct)
    {
        var ttl = store.Context.TtlEntries.AsNoTracking().Where(t => t.ExpiredAt == null)
            .ToDictionary(t => t.EntryKey, t => t.ExpiresAt, StringComparer.Ordinal);
        var result = new List<CurrentBlock>();
        foreach (var backend in backends)
        {
            var (held, origin) = Replay(store, backend.Name);
            HashSet<BlockEntry>? read = null;
            try
            {
                read = [.. await backend.ReadAsync(ct).ConfigureAwait(false)];
            }
            catch (Exception ex) when (ex is BackendException or IOException or UnauthorizedAccessException or HttpRequestException
                or TaskCanceledException or System.Text.Json.JsonException or FormatException)
            {
                // Shown unverified: the page says so rather than failing.
            }
            foreach (var e in held)
            {
                var by = origin.GetValueOrDefault(e.Key);
                var verification = read is null ? BlockVerification.Unverified
                    : read.Contains(e) ? BlockVerification.Held : BlockVerification.Missing;
                result.Add(new CurrentBlock(backend.Name, e, by?.Id, by?.At, by?.Actor, ttl.GetValueOrDefault(e.Key), verification));
            }
            if (read is null) continue;
            var logged = held.ToHashSet();
            foreach (var e in read.Where(e => !logged.Contains(e)).Order(BlockEntry.Order))
                result.Add(new CurrentBlock(backend.Name, e, null, null, null, ttl.GetValueOrDefault(e.Key), BlockVerification.NotInLog));
        }
        return result;
    }

    /// <summary>The backend's state after its last completed action, and for each rule the action that last added it.</summary>
    private static (IReadOnlyList<BlockEntry> Held, Dictionary<string, ActionRow> Origin) Replay(EnforcerStore store, string backend)
    {
        var origin = new Dictionary<string, ActionRow>(StringComparer.Ordinal);
        IReadOnlyList<BlockEntry> held = [];
        var rows = store.Context.Actions.AsNoTracking()
            .Where(a => a.Backend == backend && a.Result != ActionResults.Pending && a.StateKnown)
            .OrderBy(a => a.Id).ToList();
        foreach (var row in rows)
        {
            foreach (var e in EntryJson.Read(row.AddedJson)) origin[e.Key] = row;
            held = EntryJson.Read(row.AfterJson); // a failed change records what it read back afterwards
        }
        return (held, origin);
    }
}
