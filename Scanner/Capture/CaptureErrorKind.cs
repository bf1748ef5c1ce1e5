namespace ShadowMcp.Scanner.Capture;

/// <summary>Why a capture file could not be read (to the end).</summary>
public enum CaptureErrorKind
{
    /// <summary>The file does not start with a pcap or pcapng magic number.</summary>
    NotACapture,
    /// <summary>The file ends inside a header, record or block.</summary>
    Truncated,
    /// <summary>A length or field is impossible (caplen over the limit, block length not a multiple of 4, ...).</summary>
    Corrupt,
    /// <summary>The capture uses a link layer the decoder cannot read.</summary>
    UnsupportedLinkType,
    /// <summary>The file could not be opened or read.</summary>
    Io,
    /// <summary>A worker of a sharded scan (<c>--threads</c>) failed; the other workers' results were kept.</summary>
    WorkerFault,
}
