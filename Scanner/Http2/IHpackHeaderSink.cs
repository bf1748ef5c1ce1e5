namespace ShadowMcp.Scanner.Http2;

/// <summary>Receives the decoded fields of one header block in order; the spans are valid only during the call.</summary>
internal interface IHpackHeaderSink
{
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
