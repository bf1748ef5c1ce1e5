namespace ShadowMcp.Scanner.Capture;

/// <summary>One captured frame. <see cref="Data"/> points into the reader's buffer and is valid until the next read.</summary>
internal readonly ref struct CaptureFrame(ReadOnlySpan<byte> data, int linkType, DateTime time, int originalLength, long offset, int interfaceId)
{
    public ReadOnlySpan<byte> Data { get; } = data;
    public int LinkType { get; } = linkType;
    /// <summary>Capture time, UTC.</summary>
    public DateTime Time { get; } = time;
    /// <summary>Length on the wire; larger than <see cref="Data"/> when the snap length cut the frame.</summary>
    public int OriginalLength { get; } = originalLength;
    /// <summary>Byte offset of the record or block in the file.</summary>
    public long Offset { get; } = offset;
    public int InterfaceId { get; } = interfaceId;
}
