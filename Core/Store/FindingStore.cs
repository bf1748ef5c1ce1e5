using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Core.Store.Postgres;

namespace ShadowMcp.Core.Store;

/// <summary>
/// The only writer of detection results. Each capture file's findings are saved in one transaction, keyed by the
/// file's SHA-256, so a rescan replaces that file's contribution and never duplicates a finding. Queries go by
/// chunks of keys, not one per finding: a file result can hold thousands of findings.
/// </summary>
public sealed class FindingStore : IScanResultSink, IDisposable
{
    private readonly ShadowMcpDbContext _db;

    private FindingStore(ShadowMcpDbContext db) => _db = db;

    public string Path { get; private init; } = "";

    /// <summary>Where the store is, for messages: the SQLite file or the PostgreSQL URL with its password masked.</summary>
    public string Display { get; private init; } = "";

    /// <summary>
    /// Opens (creating if needed) and migrates the store at <paramref name="path"/>: a SQLite file path or a
    /// PostgreSQL URL / connection string (<see cref="StoreTarget"/>).
    /// </summary>
    public static FindingStore Open(string path)
    {
        var target = StoreTarget.Parse(path);
        var db = ShadowMcpDbContext.Open(target);
        try { StoreMigrator.Migrate(db, target.Display, "store"); }
        catch { db.Dispose(); throw; }
        return new FindingStore(db) { Path = path, Display = target.Display };
    }

    public ShadowMcpDbContext Context => _db;

    /// <summary>
    /// A new, open connection to the same store, for a reader that runs beside this store's context on another
    /// thread (a context is not thread-safe). The caller disposes it.
    /// </summary>
    public DbConnection OpenReadConnection()
    {
        var connection = DbProviderFactories.GetFactory(_db.Database.GetDbConnection())?.CreateConnection()
            ?? throw new InvalidOperationException($"{Display}: the store's provider cannot open another connection");
        connection.ConnectionString = _db.Database.GetConnectionString();
        try { connection.Open(); }
        catch { connection.Dispose(); throw; }
        return connection;
    }

    /// <summary>Saves what one capture file produced. <paramref name="error"/> is set when the file was only partly read.</summary>
    public void SaveFileResult(string filePath, string sha256, long size, ScanStats stats, string? error, IReadOnlyList<Finding> findings, DateTime scannedAt) =>
        Save(filePath, sha256, size, stats, error, findings, scannedAt, wholeCapture: true);

    /// <summary>
    /// Adds one more part of a capture's result (a remote sensor's snapshot sent in several bodies) to what the
    /// capture holds: only the sources of the endpoints in <paramref name="findings"/> are replaced, so the same part
    /// saved again changes nothing, and the capture's other parts stay.
    /// </summary>
    public void AddToFileResult(string filePath, string sha256, long size, ScanStats stats, string? error, IReadOnlyList<Finding> findings, DateTime scannedAt) =>
        Save(filePath, sha256, size, stats, error, findings, scannedAt, wholeCapture: false);

    /// <summary>
    /// What the capture's loss rows already hold, counter by counter: the most each counter has reached (each save adds
    /// only what passes it), so a counter that fell and grew back adds nothing twice, and every sum stays within a long.
    /// </summary>
    private CaptureLossRow? RecordedLosses(long scannedFileId) => _db.CaptureLosses
        .Where(l => l.ScannedFileId == scannedFileId)
        .GroupBy(l => l.ScannedFileId)
        .Select(g => new CaptureLossRow
        {
            ScannedFileId = g.Key,
            CaptureDropped = g.Sum(l => l.CaptureDropped), CaptureInterfaceDropped = g.Sum(l => l.CaptureInterfaceDropped),
            EndpointsEvicted = g.Sum(l => l.EndpointsEvicted), ContextEndpointsEvicted = g.Sum(l => l.ContextEndpointsEvicted),
            EndpointHitsFolded = g.Sum(l => l.EndpointHitsFolded), AddressNamesForgotten = g.Sum(l => l.AddressNamesForgotten),
            ClientsDisplaced = g.Sum(l => l.ClientsDisplaced), NamesDisplaced = g.Sum(l => l.NamesDisplaced),
            UntrustedResolverAnswers = g.Sum(l => l.UntrustedResolverAnswers),
        })
        .SingleOrDefault();

    private void Save(string filePath, string sha256, long size, ScanStats stats, string? error, IReadOnlyList<Finding> findings,
        DateTime scannedAt, bool wholeCapture)
    {
        using var tx = _db.Database.BeginTransaction();
        WriterLock.Take(_db);
        var file = _db.ScannedFiles.SingleOrDefault(f => f.Sha256 == sha256);
        // What the capture's losses so far hold: what this save takes past them is its loss at this time. Not the
        // counters as last saved: those fall when a capture is scanned again with larger tables, and the same loss
        // would count again when they grow back.
        var before = file is null ? null : RecordedLosses(file.Id);
        if (file is null)
        {
            file = new ScannedFileRow { Sha256 = sha256, Path = filePath };
            _db.ScannedFiles.Add(file);
        }
        file.Path = filePath;
        file.Size = size;
        file.ScannedAt = scannedAt;
        file.Packets = stats.Packets;
        file.Bytes = stats.Bytes;
        file.Flows = stats.Flows;
        file.Malformed = stats.Malformed;
        file.AnalyzerFaults = stats.AnalyzerFaults;
        file.CaptureReceived = stats.CaptureReceived;
        file.CaptureDropped = stats.CaptureDropped;
        file.CaptureInterfaceDropped = stats.CaptureInterfaceDropped;
        file.EndpointHitsFolded = stats.EndpointHitsFolded;
        file.EndpointsEvicted = stats.EndpointsEvicted;
        file.ContextEndpointsEvicted = stats.ContextEndpointsEvicted;
        file.AddressNamesForgotten = stats.AddressNamesForgotten;
        file.UntrustedResolverAnswers = stats.UntrustedResolverAnswers;
        file.ClientsDisplaced = stats.ClientsDisplaced;
        file.NamesDisplaced = stats.NamesDisplaced;
        file.Error = error;
        _db.SaveChanges();
        if (CaptureLossRow.Growth(before, file, scannedAt) is { } growth)
        {
            // A live session flushes every few seconds: the saves of one quarter hour share a row (CaptureLossRow.Bucket).
            var (from, to) = CaptureLossRow.Bucket(scannedAt);
            var current = _db.CaptureLosses.Where(l => l.ScannedFileId == file.Id && l.At >= from && l.At < to)
                .OrderByDescending(l => l.Id).FirstOrDefault();
            if (current is null) _db.CaptureLosses.Add(growth);
            else current.Add(growth);
            _db.SaveChanges();
        }

        var affected = new HashSet<long>();
        Dictionary<string, FindingRow> rows;
        if (wholeCapture)
        {
            var old = _db.FindingSources.Where(s => s.ScannedFileId == file.Id).ToList();
            foreach (var s in old) affected.Add(s.FindingId);
            _db.FindingSources.RemoveRange(old);
            _db.FindingActivity.Where(a => a.ScannedFileId == file.Id).ExecuteDelete();
            _db.SaveChanges();
            rows = FindOrAddRows(findings);
        }
        else
        {
            rows = FindOrAddRows(findings);
            foreach (var ids in rows.Values.Select(r => r.Id).Distinct().Chunk(MaxKeysPerQuery))
            {
                _db.FindingSources.RemoveRange(_db.FindingSources.Where(s => s.ScannedFileId == file.Id && ids.Contains(s.FindingId)));
                _db.FindingActivity.Where(a => a.ScannedFileId == file.Id && ids.Contains(a.FindingId)).ExecuteDelete();
            }
            _db.SaveChanges();
        }

        foreach (var finding in findings)
        {
            var row = rows[finding.Endpoint.Key];
            _db.FindingSources.Add(new FindingSourceRow
            {
                FindingId = row.Id,
                ScannedFileId = file.Id,
                FirstSeen = finding.FirstSeen,
                LastSeen = finding.LastSeen,
                FindingJson = JsonSerializer.Serialize(FindingDocument.From(finding), JsonDefaults.Options),
            });
            _db.FindingActivity.AddRange(FindingActivitySpreader.Spread(row.Id, file.Id, finding.FirstSeen, finding.LastSeen, finding.Flows));
            affected.Add(row.Id);
        }
        _db.SaveChanges();

        foreach (var ids in affected.Chunk(MaxKeysPerQuery)) FindingRecomputer.Recompute(_db, ids, scannedAt);
        _db.SaveChanges();
        tx.Commit();
        _db.ChangeTracker.Clear();
    }

    // Keys (or ids) per IN list: well below SQLite's limit on parameters in one statement.
    internal const int MaxKeysPerQuery = 500;

    /// <summary>
    /// The row of each finding's endpoint: existing rows are loaded a chunk of keys per query, the missing ones
    /// are added and saved together (so they have their ids).
    /// </summary>
    private Dictionary<string, FindingRow> FindOrAddRows(IReadOnlyList<Finding> findings)
    {
        var keys = findings.Select(f => f.Endpoint.Key).Distinct(StringComparer.Ordinal).ToList();
        var rows = new Dictionary<string, FindingRow>(keys.Count, StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(MaxKeysPerQuery))
            foreach (var row in _db.Findings.Where(f => chunk.Contains(f.EndpointKey)))
                rows[row.EndpointKey] = row;
        var added = false;
        foreach (var key in keys)
        {
            if (rows.ContainsKey(key)) continue;
            var row = new FindingRow { EndpointKey = key };
            _db.Findings.Add(row);
            rows[key] = row;
            added = true;
        }
        if (added) _db.SaveChanges();
        return rows;
    }

    /// <summary>All findings, newest activity first; optionally only one verdict.</summary>
    public IReadOnlyList<Finding> LoadFindings(Verdict? verdict = null)
    {
        var query = _db.Findings.AsNoTracking().Include(f => f.Evidence).AsQueryable();
        if (verdict is { } v)
        {
            var wire = v.ToWire();
            query = query.Where(f => f.Verdict == wire);
        }
        return [.. query.OrderByDescending(f => f.LastSeen).ThenBy(f => f.EndpointKey).AsEnumerable().Select(FindingRowMapper.ToFinding)];
    }

    public IReadOnlyList<ScannedFileRow> LoadFiles() => [.. _db.ScannedFiles.AsNoTracking().OrderBy(f => f.Id)];

    public void Dispose() => _db.Dispose();
}
