namespace ShadowMcp.Scanner.Http2;

/// <summary>How decoding one header block ended.</summary>
internal enum HpackStatus
{
    Ok,
    /// <summary>Not valid HPACK: a bad index, a truncated integer or string, bad Huffman padding.</summary>
    Malformed,
    /// <summary>The decoded header list exceeds the limit (an HPACK bomb); the table was kept in step.</summary>
    HeaderListTooLarge,
    /// <summary>The peer asked for a dynamic table larger than the limit.</summary>
    TableTooLarge,
}
