namespace ShadowMcp.Scanner.Http;

/// <summary>A body's Content-Encoding, when it is one the analyzers decode.</summary>
internal enum ContentCoding
{
    None,
    Gzip,
    /// <summary>"deflate": zlib (RFC 1950) as HTTP defines it, or raw deflate as some servers send it.</summary>
    Deflate,
    Brotli,
    /// <summary>A coding not decoded here (zstd, compress, several stacked codings).</summary>
    Unsupported,
}
