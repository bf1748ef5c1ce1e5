using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// Writes remote sensors' batches into serve's detection store, one at a time. A batch is the capture
/// "sensor:NAME/SOURCE" keyed "sensor:NAME:KEY": sent again, it replaces its earlier copy (a replay never duplicates);
/// older than the copy stored, it is dropped (a late replay never rolls a capture back).
/// </summary>
public sealed class SensorResultStore(string database)
{
    private readonly Lock _gate = new();

    /// <returns>False when the stored copy of this capture is newer.</returns>
    public bool Save(SensorBatch batch, IReadOnlyList<Finding> findings)
    {
        var key = $"{SensorIngestEndpoint.SourcePrefix}{batch.Sensor}:{batch.Key}";
        lock (_gate)
        {
            using var store = FindingStore.Open(database);
            var stored = store.Context.ScannedFiles.Where(f => f.Sha256 == key).Select(f => (DateTime?)f.ScannedAt).SingleOrDefault();
            if (stored is { } at && at > batch.ScannedAt) return false;
            store.SaveFileResult($"{SensorIngestEndpoint.SourcePrefix}{batch.Sensor}/{batch.Source}", key, batch.Size,
                batch.Stats.ToStats(), batch.Error, findings, batch.ScannedAt);
            return true;
        }
    }
}
