using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// Batches waiting for the centre, one gzip file each, named so that their order is the order they were made.
/// A batch is written to a temporary name, flushed to disk and then renamed, so a kill -9 leaves either the whole
/// batch or none of it; a batch leaves the spool only after the centre acknowledged it, when a newer batch of the same
/// capture supersedes it, or when the spool is over its size cap.
/// </summary>
/// <remarks>
/// A live sensor spools a cumulative snapshot of its session at every flush, and the centre replaces a capture's
/// earlier copy with a later one, so only the newest batch per capture needs to wait: a sensor cut off from the centre
/// for a day keeps one batch per session, not one per flush. The capture's key is hashed into the file name so this
/// holds across restarts. The cap is the last line of defence for the sensor's disk; the oldest batches go first.
/// </remarks>
public sealed class ResultSpool
{
    private const string Suffix = ".batch.json.gz";
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly Lock _gate = new();
    private long _last;

    public ResultSpool(string directory, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _directory = directory;
        _maxBytes = maxBytes;
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.EnumerateFiles(directory, "*.tmp")) File.Delete(stale);
        DropCutSnapshots();
        _last = Pending().Select(SequenceOf).DefaultIfEmpty(0).Max();
    }

    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    public string DirectoryPath => _directory;

    /// <summary>The next sequence number: above every batch ever spooled here that is still waiting.</summary>
    public long NextSequence(DateTime now) => _last = Math.Max(_last + 1, now.Ticks);

    /// <summary>Spools <paramref name="batch"/>, then drops what it supersedes and what is over the cap.</summary>
    /// <returns>How many batches were dropped for the cap (superseded ones are not lost, so not counted).</returns>
    public int Add(SensorBatch batch) => Add([batch]);

    /// <summary>
    /// Spools the parts of one snapshot (same key, rising sequences; <see cref="SensorBatchParts"/>), then drops the
    /// batches of that key from before the first part and what is over the cap, never one of these parts.
    /// </summary>
    public int Add(IReadOnlyList<SensorBatch> parts)
    {
        var keyTag = KeyTag(parts[0].Key);
        // Every part is written under a temporary name first and renamed only when all are on disk, under the lock
        // Pending takes: a kill -9 while writing leaves none of them, and delivery never sees part of a snapshot.
        // (A kill between the renames leaves a snapshot without its last part; the next start drops it.)
        var staged = new List<(string Temp, string Path)>(parts.Count);
        foreach (var part in parts)
        {
            var path = Path.Combine(_directory, $"{part.Sequence:D20}.{keyTag}{PartTag(part)}{Suffix}");
            var temp = path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
                    JsonSerializer.Serialize(gzip, part, JsonDefaults.Options);
                file.Flush(flushToDisk: true);
            }
            staged.Add((temp, path));
        }
        var written = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (temp, path) in staged)
            {
                File.Move(temp, path, overwrite: true);
                written.Add(Path.GetFullPath(path));
            }
        }

        foreach (var older in Pending())
            if (KeyTagOf(older) == keyTag && SequenceOf(older) < parts[0].Sequence) Remove(older);
        return EnforceCap(written);
    }

    /// <summary>Waiting batches, oldest first.</summary>
    public IReadOnlyList<string> Pending()
    {
        lock (_gate) return [.. Directory.EnumerateFiles(_directory, "*" + Suffix).Order(StringComparer.Ordinal)];
    }

    // "p2of5" after the key tag for a snapshot in parts; nothing for a whole one (and for batches from before parts).
    private static string PartTag(SensorBatch batch) =>
        batch.Parts > 1 ? string.Create(CultureInfo.InvariantCulture, $".p{batch.Part}of{batch.Parts}") : "";

    /// <summary>
    /// Drops the parts of snapshots whose last part never reached the spool (a kill between the renames of
    /// <see cref="Add(IReadOnlyList{SensorBatch})"/>): sent alone, their first part would replace the centre's whole
    /// copy of the capture with a fraction of it. Parts already delivered are gone from the front, so a snapshot
    /// still waiting always holds its last part.
    /// </summary>
    private void DropCutSnapshots()
    {
        var parts = Pending().Select(p => (Path: p, Part: PartOf(p))).Where(x => x.Part is not null).ToList();
        var lastParts = parts.Where(x => x.Part!.Value.Part == x.Part.Value.Parts)
            .Select(x => SequenceOf(x.Path)).ToHashSet();
        foreach (var (path, part) in parts)
        {
            var (n, of) = part!.Value;
            if (!lastParts.Contains(SequenceOf(path) + (of - n))) Remove(path);
        }
    }

    private static (int Part, int Parts)? PartOf(string path)
    {
        var name = Path.GetFileName(path);
        if (name.Length <= 38 || name[37] != '.' || name[38] != 'p') return null;
        var tag = name.AsSpan(39);
        var of = tag.IndexOf("of", StringComparison.Ordinal);
        var end = tag.IndexOf('.');
        return of > 0 && end > of
            && int.TryParse(tag[..of], NumberStyles.None, CultureInfo.InvariantCulture, out var part)
            && int.TryParse(tag[(of + 2)..end], NumberStyles.None, CultureInfo.InvariantCulture, out var parts)
            && part >= 1 && part <= parts
            ? (part, parts) : null;
    }

    /// <summary>Where batches the centre refused on their own wait for an operator, out of the delivery order.</summary>
    public string RefusedDirectoryPath => Path.Combine(_directory, "refused");

    /// <summary>
    /// Moves a batch the centre refused for what it holds (too large, invalid) out of the queue, with the reason in a
    /// file beside it: it is kept, never sent again by itself, and no longer holds back the batches after it.
    /// </summary>
    /// <returns>The batch's new path; null when it was already gone.</returns>
    public string? SetAside(string path, string reason)
    {
        Directory.CreateDirectory(RefusedDirectoryPath);
        var target = Path.Combine(RefusedDirectoryPath, Path.GetFileName(path));
        try { File.Move(path, target, overwrite: true); }
        catch (FileNotFoundException) { return null; }
        File.WriteAllText(target + ".reason.txt", reason + "\n");
        return target;
    }

    /// <summary>Removes a batch; one already gone (superseded or delivered meanwhile) is fine.</summary>
    public static void Remove(string path)
    {
        try { File.Delete(path); }
        catch (DirectoryNotFoundException) { }
    }

    private int EnforceCap(HashSet<string> newest)
    {
        var files = Pending().Select(p => new FileInfo(p)).Where(f => f.Exists).ToList();
        var total = files.Sum(f => f.Length);
        var dropped = 0;
        // Never the batches just written: they are the sensor's latest word on its capture.
        foreach (var oldest in files)
        {
            if (total <= _maxBytes) break;
            if (newest.Contains(oldest.FullName)) continue;
            Remove(oldest.FullName);
            total -= oldest.Length;
            dropped++;
        }
        return dropped;
    }

    private static string KeyTag(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 8);

    // Batches spooled before keys were in the name have no tag and are never superseded, only delivered.
    private static string? KeyTagOf(string path)
    {
        var name = Path.GetFileName(path);
        return name.Length > 21 + 16 && name[20] == '.' && name[37] == '.' ? name.Substring(21, 16) : null;
    }

    private static long SequenceOf(string path) =>
        long.TryParse(Path.GetFileName(path).AsSpan(0, 20), out var n) ? n : 0;
}
