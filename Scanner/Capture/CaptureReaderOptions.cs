namespace ShadowMcp.Scanner.Capture;

/// <summary>Limits and buffer size for reading capture files.</summary>
public sealed class CaptureReaderOptions
{
    /// <summary>Size of the reused read buffer; the file is read in chunks of this size.</summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>A record claiming more captured bytes than this is treated as corrupt (tcpdump uses 256 KiB).</summary>
    public int MaxFrameLength { get; init; } = 256 * 1024;

    internal void Validate()
    {
        if (MaxFrameLength < 64) throw new ArgumentOutOfRangeException(nameof(MaxFrameLength), MaxFrameLength, "must be at least 64");
        if (BufferSize < MaxFrameLength + 64)
            throw new ArgumentOutOfRangeException(nameof(BufferSize), BufferSize, "must exceed MaxFrameLength by at least 64 bytes");
    }
}
