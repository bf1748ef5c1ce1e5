using System.Text;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old or the new content: a flushed temp file
/// in the same directory, then rename over the target.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, string content)
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
                var bytes = Encoding.UTF8.GetBytes(content);
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Current content, or null when the file does not exist.</summary>
    public static string? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    /// <summary>Restores <paramref name="previous"/> (null = the file did not exist).</summary>
    public static void Restore(string path, string? previous)
    {
        if (previous is null) File.Delete(path);
        else Write(path, previous);
    }
}
