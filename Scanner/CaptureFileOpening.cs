using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;

namespace ShadowMcp.Scanner;

/// <summary>Opens a capture file for a scan; a file that cannot be opened is a failed result, counted, not a throw.</summary>
internal static class CaptureFileOpening
{
    public static bool TryOpen(string path, ScanStats stats, out FileStream stream, out ScanResult failure)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            failure = null!;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            stats.Files++;
            stream = null!;
            failure = new ScanResult(path, ScanStatus.Failed,
                new ScanError(path, null, CaptureErrorKind.Io, $"{path}: cannot open: {e.Message}"));
            return false;
        }
    }
}
