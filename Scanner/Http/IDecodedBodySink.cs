namespace ShadowMcp.Scanner.Http;

/// <summary>Receives decompressed body bytes; <see cref="Full"/> says no more are wanted for this message.</summary>
internal interface IDecodedBodySink
{
    bool Full { get; }

    void OnDecoded(ReadOnlySpan<byte> data, DateTime time);
}
