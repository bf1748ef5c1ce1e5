namespace ShadowMcp.Scanner.Http2;

/// <summary>Receives the decoded fields of one header block in order; the spans are valid only during the call.</summary>
internal interface IHpackHeaderSink
{
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    /// <summary>
    /// A field taken whole from the dynamic table. <paramref name="text"/> is the entry's memo: what this sink made of
    /// the field at an earlier reference (its value as a string, a function of the entry's name and value only), or
    /// null; a sink that makes a string sets it. One byte can name an entry of kilobytes, so a sink that made a string
    /// per reference would spend thousands of bytes per byte received.
    /// </summary>
    void OnIndexedHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref string? text) => OnHeader(name, value);
}
