namespace ShadowMcp.Portal.Audit;

/// <summary>
/// An exclusive hold on a fallback file, across processes: portal replicas on one host spilling into one file, and
/// `audit import` reading or renaming it. Without it two spills write at the same offset (each seeks to the end it
/// saw) and overwrite or cut into each other's lines, and an import could rename a file a portal is still writing.
/// </summary>
/// <remarks>
/// The lock is on a file beside the fallback file (its name plus <see cref="Suffix"/>), never renamed or deleted, so
/// a writer that waited while an import renamed the fallback file opens the new one by its path, not the moved one.
/// It is taken by opening that file with <see cref="FileShare.None"/>: an advisory <c>flock(LOCK_EX)</c> on Linux and
/// macOS, a share mode on Windows. The system drops it when the holder exits, kill -9 included, so a dead holder
/// never leaves it held. Only a local file system is relied on (NFS, SMB and <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>
/// do not lock).
/// </remarks>
internal sealed class AuditSpillLock : IDisposable
{
    public const string Suffix = ".lock";
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(50);
    private readonly FileStream _held;

    private AuditSpillLock(FileStream held) => _held = held;

    /// <summary>Takes the lock of <paramref name="file"/>, waiting while another process holds it, for at most <paramref name="wait"/>.</summary>
    /// <exception cref="TimeoutException">Still held by another process after <paramref name="wait"/>.</exception>
    /// <exception cref="IOException">The lock file cannot be opened (no folder, no space, ...).</exception>
    /// <exception cref="UnauthorizedAccessException">Not allowed to open the lock file.</exception>
    public static async Task<AuditSpillLock> TakeAsync(string file, TimeSpan wait, TimeProvider time)
    {
        var path = file + Suffix;
        var started = time.GetTimestamp();
        for (var pause = FirstPause; ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks)))
        {
            try
            {
                // Read-only: flock needs no write access, and the lock file may belong to another user (an `audit
                // import` run with sudo makes it root's, 0644); asking to write would then lose every later spill.
                return new AuditSpillLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None));
            }
            catch (IOException e) when (HeldElsewhere(e))
            {
                var left = wait - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException($"{path} stayed locked by another process (a portal spilling into {Path.GetFileName(file)}, " +
                        $"or an audit import of it) for {wait.TotalSeconds:0.#} s", e);
                await Task.Delay(pause < left ? pause : left, time);
            }
        }
    }

    // Opening with FileShare.None fails this way only because someone else holds the file: EWOULDBLOCK from flock on
    // Linux (11) and macOS (35), a sharing or lock violation on Windows.
    private static bool HeldElsewhere(IOException e) =>
        e.GetType() == typeof(IOException) && (OperatingSystem.IsWindows()
            ? (e.HResult & 0xFFFF) is 32 or 33
            : e.HResult == (OperatingSystem.IsLinux() ? 11 : 35));

    public void Dispose() => _held.Dispose();
}
