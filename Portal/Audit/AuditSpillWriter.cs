namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Appends one batch of rows to a fallback file (<see cref="AuditSpillFile"/> lines), after ending a line a killed
/// portal left without its end. The batch is written whole and flushed to disk while this process holds the file's
/// lock (<see cref="AuditSpillLock"/>), so replicas spilling into one file at once write one batch after another,
/// and `audit import`, which takes the same lock to read and to rename, never sees half a batch or renames one away.
/// </summary>
internal static class AuditSpillWriter
{
    /// <summary>Appends <paramref name="rows"/> in order; the first records the torn line it ended, if any.</summary>
    /// <param name="wait">How long to wait for the lock while another process holds it.</param>
    /// <exception cref="TimeoutException">The lock stayed held for <paramref name="wait"/>; nothing was written.</exception>
    /// <exception cref="IOException">The file or its lock cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">Not allowed to write the file or its lock.</exception>
    public static async Task AppendAsync(string path, IReadOnlyList<SpilledRow> rows, TimeSpan wait, TimeProvider time)
    {
        using var held = await AuditSpillLock.TakeAsync(path, wait, time);
        // Opened only now, by its path: an import may have renamed the file while this waited.
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        var torn = EndTornLine(stream);
        using var file = new StreamWriter(stream);
        for (var i = 0; i < rows.Count; i++)
            file.WriteLine(AuditSpillFile.Line(i == 0 && torn > 0 ? rows[i] with { TornLineBefore = torn } : rows[i]));
        file.Flush();
        // On disk before the lock goes: these rows exist nowhere else once the portal has exited.
        stream.Flush(flushToDisk: true);
    }

    // A portal killed while spilling leaves a last line without its end: start on a line of our own, so the torn
    // line stays one line instead of swallowing the first row written now. Returns its length in bytes (0: none),
    // which the first row records, so that `audit import` can tell the line was torn and pass over it.
    private static long EndTornLine(FileStream stream)
    {
        var torn = 0L;
        var chunk = new byte[4096];
        for (var end = stream.Length; end > 0;)
        {
            var start = Math.Max(0, end - chunk.Length);
            stream.Seek(start, SeekOrigin.Begin);
            var read = chunk.AsSpan(0, (int)(end - start));
            stream.ReadExactly(read);
            var newline = read.LastIndexOf((byte)'\n');
            torn += read.Length - (newline + 1);
            if (newline >= 0) break;
            end = start;
        }
        stream.Seek(0, SeekOrigin.End);
        if (torn > 0) stream.WriteByte((byte)'\n');
        return torn;
    }
}
