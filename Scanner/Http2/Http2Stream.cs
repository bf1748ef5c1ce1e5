using ShadowMcp.Scanner.Http;

namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// One HTTP/2 stream: the client's message and the server's, each assembled like an HTTP/1.x message (body
/// prefix, event stream, JSON-RPC). The request is the one this stream's response answers; the stream holds it
/// (<see cref="HttpRequestInfo.Hold"/>) until it ends, so a pooled request is not refilled while a response may come.
/// An ended stream is restarted for a later one of its connection with its message assemblers (<see cref="Restart"/>).
/// </summary>
internal sealed class Http2Stream(int id, HttpObservationWriter writer) : IHttpExchange
{
    private HttpRequestInfo? _request;

    public int Id { get; private set; } = id;

    /// <summary>Messages from the client and from the server; created when their head arrives.</summary>
    public HttpMessageAssembler? ClientMessage { get; set; }
    public HttpMessageAssembler? ServerMessage { get; set; }

    // The stream object and its request info, roughly.
    private const int FixedBytes = 256;

    /// <summary>Both messages' body prefix and event-stream buffers.</summary>
    public long HeldBytes => FixedBytes + (ClientMessage?.HeldBytes ?? 0) + (ServerMessage?.HeldBytes ?? 0);

    /// <summary>This stream's <see cref="HeldBytes"/> as the connection last added it to its sum.</summary>
    internal long CountedHeld { get; set; }

    /// <summary>Touched since the connection last brought its sum up to date (it is in the connection's list).</summary>
    internal bool Dirty { get; set; }

    /// <summary>Left the connection's stream table: no longer part of its sum.</summary>
    internal bool Gone { get; set; }

    /// <summary>The connection's frame count when a frame of this stream last came: the least recent leaves first.</summary>
    public long LastActive { get; set; }

    public bool ClientHeadSeen { get; set; }
    public bool ServerHeadSeen { get; set; }
    public bool ClientEnded { get; set; }
    public bool ServerEnded { get; set; }

    /// <summary>CONNECT was accepted: the stream carries a tunnel, not HTTP.</summary>
    public bool Tunnel { get; private set; }

    /// <summary>The request of an <c>Upgrade: h2c</c> connection, sent as HTTP/1.1 and answered on stream 1.</summary>
    public void SetUpgradedRequest(HttpRequestInfo request)
    {
        _request = request;
        ClientHeadSeen = ClientEnded = true;
    }

    public void OnRequestHead(HttpRequestInfo request, bool fromInitiator)
    {
        _request?.Release();
        request.Hold();
        _request = request;
    }

    public HttpRequestInfo? OnResponseHead(bool fromInitiator, bool interim)
    {
        _request?.Hold(); // for the answering message, which releases it when it ends
        return _request;
    }

    /// <summary>
    /// Done with (ended, reset or given up, and out of its connection's table): lets go of its request and brings its
    /// message assemblers back to their first state, keeping their spare heads and made parts for the next stream.
    /// </summary>
    public void End()
    {
        ClientMessage?.Restart();
        ServerMessage?.Restart();
        _request?.Release();
        _request = null;
    }

    /// <summary>This ended stream (see <see cref="End"/>) as a new one with id <paramref name="id"/>.</summary>
    public void Restart(int id)
    {
        Id = id;
        ClientHeadSeen = ServerHeadSeen = ClientEnded = ServerEnded = Tunnel = false;
        CountedHeld = 0;
        Gone = false; // Dirty stays: a stream still in the connection's touched list is read there once
    }

    public void OnFramingLost()
    {
    }

    public void StopParsing(HttpMessageHead response, HttpRequestInfo? request) => Tunnel = true;

    public void OnSwitchedBytes(bool fromInitiator, ReadOnlySpan<byte> rest, DateTime time)
    {
    }

    public void EmitRequest(HttpMessageHead head, HttpRequestInfo request, string? query, HttpBodyPrefix body, DateTime time) =>
        writer.EmitRequest(head, request, query, body, time);

    public void EmitResponse(HttpMessageHead head, HttpRequestInfo? request, HttpBodyPrefix? body, DateTime time) =>
        writer.EmitResponse(head, request, body, time);

    public void EmitSseEvent(HttpMessageHead head, HttpRequestInfo? request, string eventType, ReadOnlySpan<byte> data,
        string? id, string? retry, DateTime time) => writer.EmitSseEvent(head, request, eventType, data, id, retry, time);
}
