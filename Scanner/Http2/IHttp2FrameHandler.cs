namespace ShadowMcp.Scanner.Http2;

/// <summary>Receives what one direction's <see cref="Http2FrameReader"/> finds; spans are valid only during the call.</summary>
internal interface IHttp2FrameHandler
{
    /// <summary>A whole frame other than DATA (its payload bounded by the frame limit).</summary>
    void OnFrame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload, DateTime time);

    /// <summary>DATA payload bytes, padding removed, in any split.</summary>
    void OnData(int streamId, ReadOnlySpan<byte> data, DateTime time);

    /// <summary>A DATA frame ended; <paramref name="endStream"/> when it closed its side of the stream.</summary>
    void OnDataEnd(int streamId, bool endStream, DateTime time);

    /// <summary>The frames are broken or over a limit; the reader stops after this call.</summary>
    void OnError(Http2StopReason reason, DateTime time);
}
