namespace ShadowMcp.Scanner.Http;

/// <summary>How the body after a head is delimited (RFC 9112 6.3), or that the direction stops (upgrade, tunnel).</summary>
internal enum BodyFraming
{
    None,
    ContentLength,
    Chunked,
    UntilClose,
    /// <summary>The connection switches protocol (101, CONNECT 2xx): nothing after this head is HTTP/1.x.</summary>
    StopParsing,
}
