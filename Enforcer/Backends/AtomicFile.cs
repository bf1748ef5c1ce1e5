namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old or the new content: a flushed temp file
/// in the same directory (with the old file's permissions), then rename over the target. Content is bytes, so
/// a restore puts back exactly what was there (byte order mark, line ends, trailing newline).
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // Temp files left by a run that was killed mid-write are ours and useless now.
        foreach (var stale in Directory.EnumerateFiles(dir, $".{Path.GetFileName(full)}.*.tmp")) File.Delete(stale);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && File.Exists(full)) File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Current bytes, or null when the file does not exist.</summary>
    public static byte[]? ReadBytesOrNull(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    /// <summary>Restores <paramref name="previous"/> exactly (null = the file did not exist).</summary>
    public static void Restore(string path, byte[]? previous)
    {
        if (previous is null) File.Delete(path);
        else Write(path, previous);
    }
}
