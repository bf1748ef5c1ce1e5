namespace ShadowMcp.Scanner.Http2;

/// <summary>How decoding one Huffman string ended.</summary>
internal enum HuffmanResult
{
    Ok,
    Invalid,
    TooLong,
}
