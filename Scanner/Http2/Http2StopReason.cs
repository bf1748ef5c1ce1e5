namespace ShadowMcp.Scanner.Http2;

/// <summary>Why one direction of an HTTP/2 connection stopped being parsed.</summary>
internal enum Http2StopReason
{
    None,
    /// <summary>The client's first bytes were not the connection preface.</summary>
    BadPreface,
    /// <summary>A non-DATA frame larger than the frame limit.</summary>
    FrameTooLarge,
    /// <summary>Padding longer than the frame.</summary>
    BadPadding,
    /// <summary>A header block (HEADERS and CONTINUATION) larger than the limit, or a frame out of place in it.</summary>
    HeaderBlock,
    /// <summary>The header block was not valid HPACK or asked for a table over the limit.</summary>
    Hpack,
    /// <summary>Bytes were lost: frame boundaries and the HPACK table are gone.</summary>
    Gap,
}
