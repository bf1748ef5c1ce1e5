using System.Text;

namespace ShadowMcp.Hosts.Reading;

/// <summary>
/// Reads one config file read-only, refusing what a config file never is: bigger than the cap, a symlink that
/// loops or dangles, a directory, a device. Every refusal is a <see cref="ConfigProblem"/> naming the file.
/// </summary>
public static class ConfigFileReader
{
    public static bool TryRead(string path, ReadLimits limits, out string text, out ConfigProblem? problem)
    {
        text = "";
        problem = null;
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                // Follows the whole chain; a loop throws IOException ("too many levels of symbolic links").
                if (info.ResolveLinkTarget(returnFinalTarget: true) is not FileInfo { Exists: true } target)
                {
                    problem = new ConfigProblem(path, null, "symbolic link to a missing file or to a directory; skipped");
                    return false;
                }
                info = target;
            }
            if (info.Attributes.HasFlag(FileAttributes.Directory))
            {
                problem = new ConfigProblem(path, null, "a directory, not a file; skipped");
                return false;
            }
            // A FIFO or device reports length 0; opening one could block forever or never end. Not opened.
            if (info.Length == 0) return true;
            if (info.Length > limits.MaxFileBytes)
            {
                problem = new ConfigProblem(path, null,
                    $"{info.Length} bytes is over the {limits.MaxFileBytes}-byte limit for a config file; skipped unread");
                return false;
            }
            using var stream = new FileStream(info.FullName, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
            });
            // The file may grow between the size check and the read: read at most the cap plus one byte.
            var buffer = new byte[Math.Min(limits.MaxFileBytes + 1, info.Length + 1)];
            int total = 0, n;
            while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            if (total > limits.MaxFileBytes)
            {
                problem = new ConfigProblem(path, null, $"grew over the {limits.MaxFileBytes}-byte limit while being read; skipped");
                return false;
            }
            text = Encoding.UTF8.GetString(buffer, 0, total);
            if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            problem = new ConfigProblem(path, null, "permission denied; skipped");
        }
        catch (IOException ex)
        {
            problem = new ConfigProblem(path, null, $"{ex.Message.TrimEnd('.')}; skipped");
        }
        return false;
    }
}
