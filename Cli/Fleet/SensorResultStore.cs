using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// Writes remote sensors' batches into serve's detection store, one at a time, on one store opened (and migrated)
/// at the first batch rather than at every one. A batch is the capture "sensor:NAME/SOURCE" keyed
/// "sensor:NAME:KEY": sent again, it replaces its earlier copy (a replay never duplicates); older than the copy
/// stored, it is dropped (a late replay never rolls a capture back). A snapshot sent in parts: part 1 replaces, the
/// later parts of the same snapshot add their endpoints, each replacing only its own (a replayed part changes nothing).
/// </summary>
public sealed class SensorResultStore(string database) : IDisposable
{
    // Times come back from PostgreSQL at microsecond precision: a part of the snapshot stored is within this of it.
    private static readonly TimeSpan SameSnapshot = TimeSpan.FromMilliseconds(1);
    private readonly Lock _gate = new();
    private FindingStore? _store;

    /// <returns>False when the stored copy of this capture is newer.</returns>
    /// <exception cref="StoreException">The store cannot be opened or written; the next batch opens it afresh.</exception>
    public bool Save(SensorBatch batch, IReadOnlyList<Finding> findings)
    {
        var key = $"{SensorIngestEndpoint.SourcePrefix}{batch.Sensor}:{batch.Key}";
        lock (_gate)
        {
            try
            {
                var store = _store ??= FindingStore.Open(database);
                var stored = store.Context.ScannedFiles.Where(f => f.Sha256 == key).Select(f => (DateTime?)f.ScannedAt).SingleOrDefault();
                var sameSnapshot = stored is { } seen && (seen - batch.ScannedAt).Duration() < SameSnapshot;
                if (stored is { } at && at > batch.ScannedAt && !sameSnapshot) return false;
                var source = $"{SensorIngestEndpoint.SourcePrefix}{batch.Sensor}/{batch.Source}";
                // A later part of the snapshot stored adds to it; part 1 (or any part of a newer snapshot) replaces it.
                if (batch.Part > 1 && sameSnapshot)
                    store.AddToFileResult(source, key, batch.Size, batch.Stats.ToStats(), batch.Error, findings, batch.ScannedAt);
                else
                    store.SaveFileResult(source, key, batch.Size, batch.Stats.ToStats(), batch.Error, findings, batch.ScannedAt);
                return true;
            }
            catch
            {
                // A failed save can leave the context half-tracked: start clean next time.
                _store?.Dispose();
                _store = null;
                throw;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _store?.Dispose();
            _store = null;
        }
    }
}
