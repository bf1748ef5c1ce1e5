using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;

namespace ShadowMcp.Scanner;

/// <summary>
/// Opening a capture file and the failed results a scan of one returns, shared by the one-thread and the sharded
/// scanner: a file that cannot be opened or read, or is not a valid capture, is a failed result, not a throw.
/// </summary>
internal static class CaptureFileOpening
{
    public static ScanResult FormatFailed(string name, CaptureFormatException e) =>
        new(name, ScanStatus.Failed, new ScanError(e.FileName, e.Offset, e.Kind, e.Message));

    public static ScanResult ReadFailed(string name, long? offset, IOException e) =>
        new(name, ScanStatus.Failed, new ScanError(name, offset, CaptureErrorKind.Io,
            $"{name}: read failed{(offset is { } at ? $" at byte offset {at}" : "")}: {e.Message}"));

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
