namespace ShadowMcp.Scanner.Http2;

/// <summary>Frame types and flags of RFC 9113 section 6 that the reader acts on.</summary>
internal static class Http2FrameType
{
    public const byte Data = 0x0;
    public const byte Headers = 0x1;
    public const byte RstStream = 0x3;
    public const byte Settings = 0x4;
    public const byte PushPromise = 0x5;
    public const byte Continuation = 0x9;

    public const byte EndStream = 0x1;
    public const byte EndHeaders = 0x4;
    public const byte Padded = 0x8;
    public const byte Priority = 0x20;

    public const int HeaderLength = 9;

    /// <summary>"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", the client connection preface (RFC 9113 section 3.4).</summary>
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;
}
