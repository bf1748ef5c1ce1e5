namespace ShadowMcp.Scanner.Http;

/// <summary>Why an HTTP direction stopped being parsed. Flat, like Kestrel's RequestRejectionReason.</summary>
internal enum HttpRejectionReason
{
    None = 0,
    LineTooLong,
    HeadersTooLarge,
    TooManyHeaders,
    InvalidRequestLine,
    InvalidStatusLine,
    UnrecognizedHttpVersion,
    InvalidHeaderLine,
    HeaderLineFolding,
    InvalidContentLength,
    MultipleContentLengths,
    UnsupportedTransferEncoding,
    UnexpectedStartLine,
    BadChunkSizeData,
    BadChunkSuffix,
    ChunkExtensionTooLong,
    TrailersTooLarge,
}
