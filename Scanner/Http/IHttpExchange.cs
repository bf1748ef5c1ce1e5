namespace ShadowMcp.Scanner.Http;

/// <summary>
/// What an <see cref="HttpMessageAssembler"/> asks of the place its messages belong to: an HTTP/1.x connection
/// (requests and responses paired in order) or one HTTP/2 stream (one request, one response).
/// </summary>
internal interface IHttpExchange
{
    void OnRequestHead(HttpRequestInfo request, bool fromInitiator);

    /// <summary>
    /// The request this response answers, with a hold (<see cref="HttpRequestInfo.Hold"/>) the caller releases when its
    /// message ends; an interim (1xx) response leaves it waiting for the final one.
    /// </summary>
    HttpRequestInfo? OnResponseHead(bool fromInitiator, bool interim);

    /// <summary>A direction lost its framing: which responses answer which requests is no longer known.</summary>
    void OnFramingLost();

    /// <summary>The exchange switched to another protocol (WebSocket, a tunnel, h2c) with this response.</summary>
    void StopParsing(HttpMessageHead response, HttpRequestInfo? request);

    /// <summary>Bytes that followed the switching response's head in the same segment: the new protocol's.</summary>
    void OnSwitchedBytes(bool fromInitiator, ReadOnlySpan<byte> rest, DateTime time);

    void EmitRequest(HttpMessageHead head, HttpRequestInfo request, string? query, HttpBodyPrefix body, DateTime time);

    void EmitResponse(HttpMessageHead head, HttpRequestInfo? request, HttpBodyPrefix? body, DateTime time);

    void EmitSseEvent(HttpMessageHead head, HttpRequestInfo? request, string eventType, ReadOnlySpan<byte> data,
        string? id, string? retry, DateTime time);
}
