using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Http;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// One HTTP/2 connection (prior knowledge, an <c>Upgrade: h2c</c>, or decrypted TLS): frames per direction,
/// HPACK per direction, and streams, each becoming the same request, response, SSE and JSON-RPC observations
/// the HTTP/1.x path emits. Bounded: frame size, header block and list size, HPACK table size, open streams.
/// A header list over the limit (an HPACK bomb) drops that stream and is counted; other streams go on.
/// </summary>
internal sealed class Http2Connection : ITcpStreamAnalyzer, IHoldsBytes
{
    // The connection's own objects (directions, writer, head builder, stream table) before any buffer; roughly.
    private const int FixedBytes = 2048;

    private readonly HttpObservationWriter _writer;
    private readonly AnalyzerOptions _options;
    private readonly AnalyzerCounters _counters;

    /// <summary>The scan's counters (frames are counted by the directions).</summary>
    internal AnalyzerCounters Counters => _counters;
    private readonly Http2Limits _limits;
    private readonly bool _clientIsInitiator;
    private readonly Http2Direction _client;
    private readonly Http2Direction _server;
    private readonly Dictionary<int, Http2Stream> _streams = [];
    // The open streams' held bytes, kept up to date by re-reading only the streams touched since the last read: the
    // flow table reads HeldBytes after every packet, and a walk over every open stream (up to the stream limit) let
    // a peer with 128 idle streams make each of its packets, even an empty ACK, cost 128 stream reads.
    private long _streamsHeld;
    private readonly List<Http2Stream> _touched = [];
    // Frames of open streams so far: their order says which stream was active last.
    private long _frames;
    // The highest client stream id opened: a header block on a lower one (trailers of a stream given up) opens nothing.
    private int _lastClientStream;
    private readonly Http2HeadBuilder _builder;
    // Ended streams with their assemblers, and answered requests with their heads, refilled for later streams: without
    // them every stream cost about 550 B, so a flood of minimal HEADERS frames cost 40 B per byte received.
    private readonly Stack<Http2Stream> _spareStreams = [];
    private readonly HttpRequestPool _requests;
    // A spare stream's objects (its buffers went back to the pool when it ended); roughly.
    private const int SpareStreamBytes = 640;

    private long SpareBytes => _spareStreams.Count * SpareStreamBytes + _requests.HeldBytes;

    public Http2Connection(FlowEndpoints endpoints, ObservationEmitter emitter, AnalyzerOptions options, bool clientIsInitiator)
        : this(endpoints, new HttpObservationWriter(endpoints, emitter, options) { ClientIsInitiator = clientIsInitiator },
            options, clientIsInitiator, null)
    {
    }

    public Http2Connection(FlowEndpoints endpoints, HttpObservationWriter writer, AnalyzerOptions options,
        bool clientIsInitiator, HttpRequestInfo? upgradedRequest)
    {
        _ = endpoints;
        _writer = writer;
        _options = options;
        _counters = writer.Emitter.Counters;
        _clientIsInitiator = clientIsInitiator;
        _limits = new Http2Limits(options.Http2MaxFrameBytes, options.MaxHeadBytes, options.Http2MaxTableBytes,
            options.MaxHeadBytes, options.Http2MaxStreams);
        _builder = new Http2HeadBuilder(options.MaxHeaders + 8); // the pseudo-header fields come on top of the headers
        _requests = new HttpRequestPool(options.Http2MaxStreams);
        _client = new Http2Direction(this, fromClient: true, _limits);
        _server = new Http2Direction(this, fromClient: false, _limits);
        if (upgradedRequest is not null)
        {
            var stream = new Http2Stream(1, _writer);
            stream.SetUpgradedRequest(upgradedRequest);
            _streams.Add(1, stream);
            Touch(stream);
        }
    }

    /// <summary>
    /// Real bytes held: both directions' buffers and HPACK tables and every open stream's messages. Reading it re-reads
    /// only the streams touched since the last read (a stream changes only in this connection's calls).
    /// </summary>
    public long HeldBytes
    {
        get
        {
            CountTouched();
            return FixedBytes + _client.HeldBytes + _server.HeldBytes + _streamsHeld + SpareBytes;
        }
    }

    /// <summary>Stream reads done to keep <see cref="HeldBytes"/>, for tests.</summary>
    internal long StreamsRead { get; private set; }

    /// <summary>The held bytes summed over every open stream, as <see cref="HeldBytes"/> must equal; for tests.</summary>
    internal long HeldBytesRecounted
    {
        get
        {
            long held = FixedBytes + _client.HeldBytes + _server.HeldBytes + SpareBytes;
            foreach (var stream in _streams.Values) held += stream.HeldBytes;
            return held;
        }
    }

    private void Touch(Http2Stream stream)
    {
        if (stream.Dirty) return;
        stream.Dirty = true;
        _touched.Add(stream);
        // HeldBytes is read after every packet; an analyzer nobody asks (none today) must not grow the list for ever.
        if (_touched.Count > 2 * _limits.MaxStreams + 16) CountTouched();
    }

    private void CountTouched()
    {
        foreach (var stream in _touched)
        {
            stream.Dirty = false;
            if (stream.Gone) continue;
            StreamsRead++;
            long held = stream.HeldBytes;
            _streamsHeld += held - stream.CountedHeld;
            stream.CountedHeld = held;
        }
        _touched.Clear();
    }

    private void Remove(Http2Stream stream)
    {
        _streams.Remove(stream.Id);
        _streamsHeld -= stream.CountedHeld;
        stream.CountedHeld = 0;
        stream.Gone = true;
        stream.End();
        // As many as were open at once, so a burst of streams every round trip does not make them anew; they are
        // counted in HeldBytes as the open streams were.
        if (_spareStreams.Count < _limits.MaxStreams) _spareStreams.Push(stream);
    }

    public bool WantsMoreData => !(_client.Reader.Stopped && _server.Reader.Stopped);

    /// <summary>Why a direction stopped, for tests.</summary>
    internal Http2StopReason StopReason(bool fromClient) => (fromClient ? _client : _server).Reader.StopReason;

    private Http2Direction Side(bool fromInitiator) => fromInitiator == _clientIsInitiator ? _client : _server;

    public void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time) => Side(fromInitiator).Reader.Feed(data, time);

    public void OnGap(bool fromInitiator, long missingBytes, DateTime time) =>
        StopDirection(Side(fromInitiator), Http2StopReason.Gap, time);

    public void OnClose(DateTime time)
    {
        foreach (var stream in _streams.Values)
        {
            EndSide(stream, fromClient: true, complete: false, time);
            EndSide(stream, fromClient: false, complete: false, time);
            stream.Gone = true;
        }
        _streams.Clear();
        _streamsHeld = 0;
    }

    internal void StopDirection(Http2Direction direction, Http2StopReason reason, DateTime time)
    {
        if (direction.Reader.Stopped) return;
        direction.Stop(reason);
        _counters.Http2Stopped++;
        // Whatever this side was sending is cut; the other side's messages may still complete.
        foreach (var stream in _streams.Values)
        {
            EndSide(stream, direction.FromClient, complete: false, time);
            Touch(stream);
        }
    }

    internal void OnHeaderBlock(Http2Direction direction, int streamId, ReadOnlySpan<byte> block, bool endStream, bool isPush, DateTime time)
    {
        var stream = isPush ? null : StreamFor(direction.FromClient, streamId, time);
        bool wanted = stream is not null && !stream.Tunnel
            && !(direction.FromClient ? stream.ClientEnded || stream.ClientHeadSeen : stream.ServerEnded || stream.ServerHeadSeen);
        if (wanted) _builder.Begin(request: direction.FromClient,
            direction.FromClient ? _requests.TakeHead() : stream!.ServerMessage?.TakeSpareHead(request: false));
        else _builder.Discard();

        var status = direction.Hpack.Decode(block, _builder);
        if (status is HpackStatus.Malformed or HpackStatus.TableTooLarge)
        {
            _counters.Http2HpackErrors++;
            StopDirection(direction, Http2StopReason.Hpack, time);
            return;
        }
        bool bomb = status == HpackStatus.HeaderListTooLarge || _builder.TooManyFields;
        if (bomb)
        {
            _counters.Http2HpackBombs++;
            _builder.Discard();
        }
        var head = _builder.End();
        if (stream is null) return;
        if (head is not null) DeliverHead(stream, direction.FromClient, head, time);
        else if (wanted && bomb) Drop(stream, time);
        if (endStream) OnEndStream(direction, streamId, time);
    }

    private void DeliverHead(Http2Stream stream, bool fromClient, HttpMessageHead head, DateTime time)
    {
        if (fromClient)
        {
            stream.ClientMessage ??= new HttpMessageAssembler(stream, _clientIsInitiator, _options, _counters, _requests);
            stream.ClientMessage.OnHead(head, time);
            stream.ClientHeadSeen = true;
            return;
        }
        stream.ServerMessage ??= new HttpMessageAssembler(stream, !_clientIsInitiator, _options, _counters);
        stream.ServerMessage.OnHead(head, time);
        // An interim response (1xx) is complete at once; the final response follows in another HEADERS frame.
        if (head.Status is >= 100 and < 200) stream.ServerMessage.OnMessageEnd(time, complete: true);
        else stream.ServerHeadSeen = true;
    }

    internal void OnData(Http2Direction direction, int streamId, ReadOnlySpan<byte> data, DateTime time)
    {
        if (!_streams.TryGetValue(streamId, out var stream) || stream.Tunnel) return;
        stream.LastActive = ++_frames;
        Touch(stream);
        if (direction.FromClient && stream.ClientHeadSeen && !stream.ClientEnded) stream.ClientMessage?.OnBody(data, time);
        else if (!direction.FromClient && stream.ServerHeadSeen && !stream.ServerEnded) stream.ServerMessage?.OnBody(data, time);
    }

    internal void OnEndStream(Http2Direction direction, int streamId, DateTime time)
    {
        if (!_streams.TryGetValue(streamId, out var stream)) return;
        EndSide(stream, direction.FromClient, complete: true, time);
        Touch(stream);
        if (stream.ClientEnded && stream.ServerEnded) Remove(stream);
    }

    internal void OnReset(int streamId, DateTime time)
    {
        if (_streams.TryGetValue(streamId, out var stream)) Drop(stream, time);
    }

    private void Drop(Http2Stream stream, DateTime time)
    {
        EndSide(stream, fromClient: true, complete: false, time);
        EndSide(stream, fromClient: false, complete: false, time);
        Remove(stream);
    }

    private static void EndSide(Http2Stream stream, bool fromClient, bool complete, DateTime time)
    {
        if (fromClient)
        {
            if (stream.ClientEnded) return;
            stream.ClientEnded = true;
            if (stream.ClientHeadSeen) stream.ClientMessage?.OnMessageEnd(time, complete);
            return;
        }
        if (stream.ServerEnded) return;
        stream.ServerEnded = true;
        if (stream.ServerHeadSeen) stream.ServerMessage?.OnMessageEnd(time, complete);
    }

    /// <summary>
    /// The stream a header block belongs to; a client's new stream is always opened. At the limit the stream that went
    /// longest without a frame is given up for it: refusing new streams instead would let streams left open (long
    /// event streams through a proxy, or opened on purpose and never ended) blind the connection for the rest of its life.
    /// </summary>
    private Http2Stream? StreamFor(bool fromClient, int streamId, DateTime time)
    {
        if (_streams.TryGetValue(streamId, out var stream))
        {
            stream.LastActive = ++_frames;
            Touch(stream);
            return stream;
        }
        if (!fromClient || streamId == 0 || (streamId & 1) == 0) return null;
        // Client stream ids only grow (RFC 9113 5.1.1): a lower one is a stream given up or ended, not a new request,
        // and must not take the place of a stream still in use.
        if (streamId <= _lastClientStream) return null;
        _lastClientStream = streamId;
        if (_streams.Count >= _limits.MaxStreams) GiveUpLeastActive(time);
        if (_spareStreams.TryPop(out stream)) stream.Restart(streamId);
        else stream = new Http2Stream(streamId, _writer);
        stream.LastActive = ++_frames;
        _streams.Add(streamId, stream);
        Touch(stream);
        return stream;
    }

    // A pass over at most MaxStreams streams, only when a new stream finds the connection full.
    private void GiveUpLeastActive(DateTime time)
    {
        Http2Stream? idlest = null;
        foreach (var candidate in _streams.Values)
            if (idlest is null || candidate.LastActive < idlest.LastActive) idlest = candidate;
        if (idlest is null) return;
        _counters.Http2StreamsRefused++;
        Drop(idlest, time);
    }
}
