namespace ShadowMcp.Scanner.Capture;

/// <summary>Why a capture file stopped being read, and where.</summary>
/// <param name="Offset">Byte offset of the record or block that failed, when it applies.</param>
/// <param name="Message">Full text naming the file and offset, fit to print.</param>
public sealed record ScanError(string File, long? Offset, CaptureErrorKind Kind, string Message);
