namespace ShadowMcp.Scanner.Capture;

/// <summary>
/// Where a reader hands each captured frame, in capture order: the one-thread packet path
/// (<c>PacketProcessor</c>) or a sharded scan's feed (<c>ShardFeed</c>). The frame is valid only during the call.
/// </summary>
internal interface IFrameSink
{
    void OnFrame(ReadOnlySpan<byte> frame, int linkType, DateTime time);
}
