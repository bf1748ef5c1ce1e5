namespace ShadowMcp.Scanner.Capture;

/// <summary>
/// A capture file that cannot be read further. Raised once per file; frames before <see cref="Offset"/> have
/// already been delivered.
/// </summary>
public sealed class CaptureFormatException : Exception
{
    public CaptureFormatException(CaptureErrorKind kind, string fileName, long? offset, string reason)
        : base(Format(fileName, offset, reason))
    {
        Kind = kind;
        FileName = fileName;
        Offset = offset;
        Reason = reason;
    }

    public CaptureErrorKind Kind { get; }
    public string FileName { get; }
    /// <summary>Byte offset of the header, record or block that failed; null when it does not apply.</summary>
    public long? Offset { get; }
    /// <summary>The message without the file name and offset.</summary>
    public string Reason { get; }

    private static string Format(string fileName, long? offset, string reason) =>
        offset is { } at ? $"{fileName}: {reason} (at byte offset {at})" : $"{fileName}: {reason}";
}
