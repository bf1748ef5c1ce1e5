using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// `audit import`: appends the rows of a fallback file (<see cref="AuditLog.FallbackFileName"/>) to the chain, in file
/// order, each with the time and replica it was written with, then renames the file so the next spill starts a new one.
/// </summary>
/// <remarks>
/// <para>The rows and one summary row go in one transaction taken as the portal's writer takes it (the replicas' lock
/// on PostgreSQL, SQLite's write lock) and linked as it links them (<see cref="AuditLink"/>), so portals writing
/// meanwhile stay one chain and `audit verify` stays intact. All or nothing: a line that is not a row as the portal
/// writes it refuses the whole file, naming its line. The one exception is a line torn by a killed portal (cut short,
/// with nothing wrong up to there): as the file's last line without its end, or ended by a later spill whose first
/// row says so (<see cref="SpilledRow.TornLineBefore"/>). It was never a whole row: it is named and left in the file.
/// Lines marked as committed without an answer (<see cref="SpilledCommit"/>) are skipped when the chain holds their
/// batch.</para>
/// <para>The summary row records how many bytes of the file were imported and their SHA-256. An import looks for
/// summaries whose bytes are a prefix of the file and imports only what follows: the same file twice adds nothing,
/// a crash between commit and rename leaves a file that the next run only renames, and a file a portal appended to
/// after an import gets only its new rows. Two imports at once: the second finds the first's summary once it holds
/// the chain, and starts over.</para>
/// <para>Reading the file and renaming it are done holding its lock (<see cref="AuditSpillLock"/>), which portals take
/// for each batch they spill: the import reads whole batches only, and no batch lands in a file it renames.</para>
/// </remarks>
internal sealed class AuditImporter(PortalStore store, byte[]? key, string? replica, TimeProvider time)
{
    public const string Method = "audit/import";
    public const string Outcome = "imported";
    private const int Attempts = 3;

    private readonly record struct Covered(long Bytes, long SummarySeq);

    public async Task<AuditImportResult> ImportAsync(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new AuditImportException(ExitCode.NotFound, $"{path} does not exist: there are no unwritten rows to import");
        byte[] bytes;
        // Read between two portals' batches, never in the middle of one (a torn last line is then only a killed portal's).
        using (await LockAsync(path)) bytes = await File.ReadAllBytesAsync(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        for (var attempt = 1; ; attempt++)
        {
            var (lastSeq, imports) = ReadChain();
            var done = Cover(bytes, imports);
            var read = AuditSpillReader.Read(path, bytes, done.Bytes);
            if (read.Rows.Count == 0)
            {
                var nothing = new AuditImportResult(0, 0, done.SummarySeq, sha, null, null) { Torn = read.Torn };
                return done.Bytes == 0 ? nothing : await RenameAsync(path, bytes.Length, nothing);
            }
            if (await CommitAsync(path, bytes, sha, done, read, lastSeq) is { } added) return await RenameAsync(path, bytes.Length, added);
            if (attempt == Attempts)
                throw new AuditImportException(ExitCode.StoreError, $"{path}: other imports of this file kept committing first; run the command again");
        }
    }

    // Before holding the chain (a full look at the log is too slow to hold the portals up with): the imports so far,
    // and the last Seq read before them, so that the transaction only has to look at rows after it.
    private (long LastSeq, List<(long Seq, long Bytes, string? Sha256)> Imports) ReadChain()
    {
        using var db = store.Open();
        var last = db.Audit.AsNoTracking().OrderByDescending(a => a.Seq).FirstOrDefault();
        CheckKey(last);
        var imports = db.Audit.AsNoTracking().Where(a => a.Method == Method).OrderBy(a => a.Seq)
            .Select(a => new { a.Seq, a.ArgumentBytes, a.ArgumentHash }).AsEnumerable()
            .Select(a => (a.Seq, a.ArgumentBytes, a.ArgumentHash)).ToList();
        return (last?.Seq ?? 0, imports);
    }

    // Rows hashed with another key than the chain's (or unkeyed after keyed rows) would read as forged in verify.
    private void CheckKey(AuditRow? last)
    {
        if (last is null) return;
        var expected = AuditHasher.ComputeFor(last, key);
        if (expected is null)
            throw new AuditImportException(ExitCode.Usage,
                $"the chain's rows are keyed ({last.HashKind}) and no audit HMAC key was found; pass --key-file or --config");
        if (expected != last.Hash)
            throw new AuditImportException(ExitCode.Usage,
                $"the chain's last row ({last.Seq}) does not verify with this audit key (another key, or the row was changed: run audit verify)");
    }

    // The longest prefix of the file an earlier import took, by its length and SHA-256.
    private static Covered Cover(byte[] bytes, IEnumerable<(long Seq, long Bytes, string? Sha256)> imports)
    {
        var best = new Covered(0, 0);
        foreach (var (seq, length, sha) in imports)
        {
            if (length <= best.Bytes || length > bytes.Length || sha is null) continue;
            if (Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, (int)length))) == sha) best = new Covered(length, seq);
        }
        return best;
    }

    /// <returns>The rows added, or null when another import of this file committed while this one waited for the chain.</returns>
    private async Task<AuditImportResult?> CommitAsync(string path, byte[] bytes, string sha, Covered done, AuditSpillReader.Content read, long readUpTo)
    {
        var rows = read.Rows;
        await using var db = await AuditStatements.OpenAsync(store);
        await using var tx = await db.BeginAsync();
        var (headSeq, headHash, lastSeq, lastHash) = await db.ReadEndAsync();
        if (Cover(bytes, await db.ReadImportsAsync(readUpTo)).Bytes > done.Bytes) return null; // rolled back on dispose
        var committed = await CommittedBatchesAsync(db, rows);
        bool InChain(SpilledRow r) => r.Unconfirmed is { } u && committed.Contains((u.HeadSeq, u.Head));
        var skipped = rows.Where(InChain).ToList();
        var adding = rows.Where(r => !InChain(r)).ToList();
        // As the portal's writer links: after the head, so a cut tail still shows in verify.
        var seq = Math.Max(lastSeq, headSeq);
        var prev = headHash ?? lastHash ?? AuditHasher.Genesis;
        var linked = new List<AuditRow>(adding.Count + 1);
        foreach (var row in adding)
        {
            linked.Add(AuditLink.Row(row.Record, ++seq, prev, row.Time, row.Replica, key));
            prev = linked[^1].Hash;
        }
        var skippedAt = SkippedAt(skipped);
        // The bytes accounted for: all read, but for a torn last line (it is read again next time).
        var coveredSha = read.End == bytes.Length ? sha : Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, (int)read.End)));
        var summary = Summary(path, read.End, coveredSha, done.Bytes, adding.Count, skipped.Count, skippedAt, read.Torn);
        linked.Add(AuditLink.Row(summary, ++seq, prev, time.GetUtcNow(), replica, key));
        await db.WriteAsync(linked, seq, linked[^1].Hash);
        await tx.CommitAsync();
        return new AuditImportResult(adding.Count, adding.Count > 0 ? linked[0].Seq : 0, seq, sha, null, null)
        {
            Skipped = skipped.Count,
            SkippedAt = skippedAt,
            Torn = read.Torn,
        };
    }

    // The batches, among those the file marks as committed without an answer, that the chain holds: their last row is
    // there with the hash that commit gave it. Read while holding the chain, so no commit of theirs can still be under way.
    private static async Task<HashSet<(long HeadSeq, string Head)>> CommittedBatchesAsync(AuditStatements db, List<SpilledRow> rows)
    {
        var found = new HashSet<(long, string)>();
        foreach (var batch in rows.Select(r => r.Unconfirmed).OfType<SpilledCommit>().Select(u => (u.HeadSeq, u.Head)).Distinct())
            if (await db.HoldsRowAsync(batch.HeadSeq, batch.Head)) found.Add(batch);
        return found;
    }

    // Per batch, the Seqs its skipped lines have in the chain.
    private static List<(long First, long Last)> SkippedAt(List<SpilledRow> skipped) =>
    [
        .. skipped.Select(r => r.Unconfirmed!).GroupBy(u => (u.HeadSeq, u.Head))
            .Select(b => (b.Min(u => u.Seq), b.Max(u => u.Seq))).OrderBy(r => r.Item1),
    ];

    // ArgumentBytes and ArgumentHash say which bytes of the file are in the chain: what the next import looks for.
    private static AuditRecord Summary(string path, long length, string sha, long from, int rows, int skipped,
        List<(long First, long Last)> skippedAt, List<AuditTornLine> torn)
    {
        var after = from == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", after its first {from} bytes imported before");
        var already = skipped == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $"; {skipped} row(s) skipped as already in the chain (rows {AuditImportResult.Ranges(skippedAt)}): their batch was committed though the portal lost the store's answer");
        var cut = string.Concat(torn.Select(t => string.Create(CultureInfo.InvariantCulture, $"; line {t.Line} ({t.Bytes} bytes) torn, not imported")));
        return new AuditRecord(Environment.UserName, "", "shadowmcp", null, null, Method, null, length, sha, null, 0, Outcome,
            string.Create(CultureInfo.InvariantCulture, $"{rows} row(s) imported from {path} ({length} bytes, sha256 {sha}){after}{already}{cut}"), null);
    }

    // Once its rows are in the chain the file moves aside, so the next spill starts a new one. A portal that appended
    // meanwhile made rows not yet imported: such a file stays for the next run, which takes only those. The lock keeps
    // portals from appending between the look at its length and the rename; one waiting for it then opens a new file.
    private async Task<AuditImportResult> RenameAsync(string path, long imported, AuditImportResult result)
    {
        if (IsImportedName(path)) return result;
        var moved = result with { LeftBecause = "it was moved meanwhile (by another import?)" };
        using var held = await LockAsync(path);
        if (!File.Exists(path)) return moved;
        if (new FileInfo(path).Length != imported)
            return result with { LeftBecause = "rows were added to it while it was imported: run the command again to import them" };
        var target = ImportedName(path);
        try { File.Move(path, target, overwrite: false); }
        catch (FileNotFoundException) { return moved; }
        // Only a writer that does not take the lock (an older portal) can have appended since the look.
        if (new FileInfo(target).Length != imported)
            return result with { RenamedTo = target, LeftBecause = $"rows were added to it as it was renamed: run `audit import {target}` to import them" };
        return result with { RenamedTo = target };
    }

    // Portals spill into the configured name only: a file named as imported has no writer, and needs no lock (nor a lock file beside it).
    private static bool IsImportedName(string path) => Path.GetFileName(path).Contains(".imported-", StringComparison.Ordinal);

    /// <summary>How long an import waits for a portal's batch (or another import) to let go of the file.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private async Task<IDisposable?> LockAsync(string path)
    {
        if (IsImportedName(path)) return null;
        try
        {
            return await AuditSpillLock.TakeAsync(path, LockWait, time);
        }
        catch (TimeoutException e)
        {
            throw new AuditImportException(ExitCode.StoreError, $"{e.Message}; nothing was changed: run the command again");
        }
    }

    private string ImportedName(string path)
    {
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var stem = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".imported-" + stamp);
        var ext = Path.GetExtension(path);
        var target = stem + ext;
        for (var n = 2; File.Exists(target); n++) target = $"{stem}-{n}{ext}";
        return target;
    }
}
