using System.IO.Compression;
using System.Text.Json;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// Batches waiting for the centre, one gzip file each, named so that their order is the order they were made.
/// A batch is written to a temporary name, flushed to disk and then renamed, so a kill -9 leaves either the whole
/// batch or none of it; a batch leaves the spool only after the centre acknowledged it.
/// </summary>
public sealed class ResultSpool
{
    private const string Suffix = ".batch.json.gz";
    private readonly string _directory;
    private long _last;

    public ResultSpool(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.EnumerateFiles(directory, "*.tmp")) File.Delete(stale);
        _last = Pending().Select(SequenceOf).DefaultIfEmpty(0).Max();
    }

    public string DirectoryPath => _directory;

    /// <summary>The next sequence number: above every batch ever spooled here that is still waiting.</summary>
    public long NextSequence(DateTime now) => _last = Math.Max(_last + 1, now.Ticks);

    public void Add(SensorBatch batch)
    {
        var path = Path.Combine(_directory, $"{batch.Sequence:D20}{Suffix}");
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
                JsonSerializer.Serialize(gzip, batch, JsonDefaults.Options);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Waiting batches, oldest first.</summary>
    public IReadOnlyList<string> Pending() =>
        [.. Directory.EnumerateFiles(_directory, "*" + Suffix).Order(StringComparer.Ordinal)];

    private static long SequenceOf(string path) =>
        long.TryParse(Path.GetFileName(path).AsSpan(0, 20), out var n) ? n : 0;
}
