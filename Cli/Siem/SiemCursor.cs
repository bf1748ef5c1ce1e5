using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// What a sink has acknowledged, persisted in a small JSON file beside the store (one file per sink: two SIEMs
/// fed from one store each keep their own). It is written only after an acknowledgement, by replacing the file
/// atomically, so a crash between a send and the write leaves the old cursor and the batch is sent again:
/// at-least-once, never lost. Per stream:
/// audit rows are immutable, so the last acknowledged sequence number is enough; action rows change once (pending
/// to ok or failed), so each row's fingerprint is kept until it is final, and everything at or below
/// <see cref="ActionsDoneThrough"/> is final and delivered; findings change in place, so each finding's fingerprint
/// is kept, and a finding whose fingerprint differs is sent again as an Update.
/// </summary>
internal sealed class SiemCursor
{
    public const int FormatVersion = 1;

    /// <summary>The fingerprint of a Close event: acknowledging it removes the finding from the cursor.</summary>
    public const string Closed = "closed";

    /// <summary>The sink this cursor records deliveries to (its display form); a cursor serves one sink only.</summary>
    public string? Sink { get; set; }

    public long AuditSeq { get; set; }
    public long ActionsDoneThrough { get; set; }
    public Dictionary<long, string> Actions { get; } = [];
    public Dictionary<string, string> Findings { get; } = new(StringComparer.Ordinal);

    /// <summary>The file it is kept in; null for a one-off export that remembers nothing.</summary>
    public string? Path { get; private init; }

    public static SiemCursor InMemory() => new();

    /// <summary>Reads the cursor at <paramref name="path"/>; a missing file is a fresh cursor (everything is new).</summary>
    /// <exception cref="SiemCursorException">The file exists but is not a cursor this version can read.</exception>
    public static SiemCursor Load(string path)
    {
        var cursor = new SiemCursor { Path = path };
        if (!File.Exists(path)) return cursor;
        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(path), SiemCursorJson.Default.CursorFile)
                ?? throw new JsonException("empty");
            if (file.Version != FormatVersion) throw new JsonException($"format version {file.Version}, expected {FormatVersion}");
            cursor.Sink = file.Sink;
            cursor.AuditSeq = file.AuditSeq;
            cursor.ActionsDoneThrough = file.ActionsDoneThrough;
            foreach (var (id, fp) in file.Actions ?? []) cursor.Actions[long.Parse(id, CultureInfo.InvariantCulture)] = fp;
            foreach (var (uid, fp) in file.Findings ?? []) cursor.Findings[uid] = fp;
            return cursor;
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or IOException or UnauthorizedAccessException)
        {
            throw new SiemCursorException($"--cursor {path}: cannot read the cursor: {e.Message}", e);
        }
    }

    /// <summary>Records a batch the sink acknowledged (in memory; <see cref="Save"/> persists it).</summary>
    public void Acknowledge(IEnumerable<SiemEvent> batch)
    {
        foreach (var e in batch)
        {
            switch (e.Stream)
            {
                case SiemStream.Audit:
                    AuditSeq = Math.Max(AuditSeq, long.Parse(e.Key, CultureInfo.InvariantCulture));
                    break;
                case SiemStream.Actions:
                    Actions[long.Parse(e.Key, CultureInfo.InvariantCulture)] = e.Fingerprint;
                    break;
                case SiemStream.Findings when e.Fingerprint == Closed:
                    Findings.Remove(e.Key);
                    break;
                case SiemStream.Findings:
                    Findings[e.Key] = e.Fingerprint;
                    break;
            }
        }
    }

    /// <summary>Every action up to <paramref name="id"/> is final and delivered: forget their fingerprints.</summary>
    public void CompactActions(long id)
    {
        if (id <= ActionsDoneThrough) return;
        ActionsDoneThrough = id;
        foreach (var key in Actions.Keys.Where(k => k <= id).ToList()) Actions.Remove(key);
    }

    /// <summary>Writes the cursor to a temporary file, flushes it to disk and renames it over the old one.</summary>
    public void Save()
    {
        if (Path is null) return;
        var file = new CursorFile
        {
            Version = FormatVersion,
            Sink = Sink,
            AuditSeq = AuditSeq,
            ActionsDoneThrough = ActionsDoneThrough,
            Actions = Actions.OrderBy(a => a.Key).ToDictionary(a => a.Key.ToString(CultureInfo.InvariantCulture), a => a.Value),
            Findings = new SortedDictionary<string, string>(Findings, StringComparer.Ordinal),
        };
        var temp = Path + ".tmp";
        try
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, file, SiemCursorJson.Default.CursorFile);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SiemCursorException($"--cursor {Path}: cannot write the cursor: {e.Message}", e);
        }
    }

    internal sealed class CursorFile
    {
        public int Version { get; set; }
        public string? Sink { get; set; }
        public long AuditSeq { get; set; }
        public long ActionsDoneThrough { get; set; }
        public Dictionary<string, string>? Actions { get; set; }
        public SortedDictionary<string, string>? Findings { get; set; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(SiemCursor.CursorFile))]
internal sealed partial class SiemCursorJson : JsonSerializerContext;
