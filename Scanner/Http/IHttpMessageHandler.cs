namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Receives what <see cref="HttpStreamReader"/> finds in one direction. The reader owns framing; the handler owns
/// meaning (pairing, body prefixes, observations) and decides the framing from the head.
/// </summary>
internal interface IHttpMessageHandler
{
    BodyFraming OnHead(HttpMessageHead head, DateTime time);

    /// <summary>De-chunked body bytes; valid only during the call.</summary>
    void OnBody(ReadOnlySpan<byte> data, DateTime time);

    /// <summary>Bytes of the current body were lost; the body goes on after them.</summary>
    void OnBodyGap(long missingBytes);

    /// <summary>The message ended; <paramref name="complete"/> is false when it was cut by a gap or the close.</summary>
    void OnMessageEnd(DateTime time, bool complete);

    /// <summary>The head asked to stop parsing (protocol switch); <paramref name="rest"/> followed it.</summary>
    void OnStopped(ReadOnlySpan<byte> rest, DateTime time);

    /// <summary>The direction lost its framing (gap, rejection): whatever was expected from it is gone.</summary>
    void OnFramingLost();

    /// <summary>A request or response head that nothing refers to any more, for the parser to refill; or null.</summary>
    HttpMessageHead? TakeSpareHead(bool request) => null;
}
