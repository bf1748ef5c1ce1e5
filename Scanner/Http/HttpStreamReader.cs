using ShadowMcp.Scanner.Analysis;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// The HTTP/1.x state machine for one direction of a connection: resync (scan for a start line), head, body.
/// Fed in-order bytes in any split; keeps only the head being read and a few bytes of a possible start token.
/// A protocol violation stops the direction; a gap makes it resync at the next start line.
/// </summary>
internal sealed class HttpStreamReader
{
    private enum State { Resync, Head, Body, Stopped }

    private readonly IHttpMessageHandler _handler;
    private readonly AnalyzerCounters _counters;
    private readonly HttpHeadBuffer _head;
    private readonly AnalyzerOptions _options;
    private ChunkedBodyDecoder? _chunked; // made at the first chunked body
    private readonly byte[] _probe = new byte[HttpStartLine.MaxTokenLength];

    private State _state = State.Resync;
    private bool _atLineStart = true;
    private int _probeLength;
    private StartLineKind _role = StartLineKind.None;
    private BodyFraming _framing;
    private long _remaining;

    private readonly SessionIdMemo? _sessionIds;

    /// <param name="sessionIds">Shared by both directions of a connection: requests and responses repeat one id.</param>
    public HttpStreamReader(IHttpMessageHandler handler, AnalyzerOptions options, AnalyzerCounters counters, SessionIdMemo? sessionIds = null)
    {
        _handler = handler;
        _sessionIds = sessionIds;
        _counters = counters;
        _head = new HttpHeadBuffer(options.MaxLineBytes, options.MaxHeadBytes, options.MaxHeaders);
        _options = options;
    }

    public bool Stopped => _state == State.Stopped;

    /// <summary>Heap bytes of this direction's buffers (head and message state), for the flow memory budget.</summary>
    public long HeldBytes => _head.HeldBytes + _probe.Length + (_handler is HttpMessageAssembler m ? m.HeldBytes : 0);

    public HttpRejectionReason RejectionReason { get; private set; }

    /// <summary>Back to the state of a new reader, for the next flow of a recycled analyzer.</summary>
    public void Restart()
    {
        _state = State.Resync;
        _atLineStart = true;
        _probeLength = 0;
        _role = StartLineKind.None;
        _framing = default;
        _remaining = 0;
        RejectionReason = HttpRejectionReason.None;
        _head.Reset();
    }

    /// <summary>Stops the direction without a rejection (the connection switched protocols).</summary>
    public void Stop() => _state = State.Stopped;

    public void Feed(ReadOnlySpan<byte> data, DateTime time)
    {
        while (!data.IsEmpty)
        {
            data = _state switch
            {
                State.Resync => Resync(data),
                State.Head => ReadHead(data, time),
                State.Body => ReadBody(data, time),
                _ => default,
            };
        }
    }

    public void OnGap(long missingBytes, DateTime time)
    {
        switch (_state)
        {
            case State.Body when _framing == BodyFraming.UntilClose:
                _handler.OnBodyGap(missingBytes);
                return;
            case State.Body when _framing == BodyFraming.ContentLength && missingBytes <= _remaining:
                // The gap lies inside the body, so the framing survives and the next message is still found.
                _remaining -= missingBytes;
                _handler.OnBodyGap(missingBytes);
                if (_remaining == 0)
                {
                    _handler.OnMessageEnd(time, complete: false);
                    _state = State.Head;
                }
                return;
            case State.Body:
                _handler.OnMessageEnd(time, complete: false);
                break;
            case State.Stopped:
                return;
        }
        _head.Reset();
        _handler.OnFramingLost();
        _counters.HttpResyncs++;
        _state = State.Resync;
        _atLineStart = false;
        _probeLength = 0;
    }

    public void OnClose(DateTime time)
    {
        if (_state != State.Body) return;
        _handler.OnMessageEnd(time, complete: _framing == BodyFraming.UntilClose);
        _state = State.Stopped;
    }

    private ReadOnlySpan<byte> Resync(ReadOnlySpan<byte> data)
    {
        if (!_atLineStart)
        {
            int lf = data.IndexOf((byte)'\n');
            if (lf < 0) return default;
            _atLineStart = true;
            _probeLength = 0;
            return data[(lf + 1)..];
        }

        int take = Math.Min(_probe.Length - _probeLength, data.Length);
        data[..take].CopyTo(_probe.AsSpan(_probeLength));
        var kind = HttpStartLine.Classify(_probe.AsSpan(0, _probeLength + take));
        if (kind == StartLineKind.NeedMore && take == data.Length)
        {
            _probeLength += take;
            return default;
        }
        if ((kind == StartLineKind.Request || kind == StartLineKind.Response) && (_role == StartLineKind.None || _role == kind))
        {
            // The earlier probe bytes hold no line break, so they only start the head.
            _head.Reset();
            _head.Append(_probe.AsSpan(0, _probeLength), out _, out _);
            _probeLength = 0;
            _state = State.Head;
            return data;
        }
        // Not a start line: earlier probe bytes are all token characters, so the scan restarts at data[0].
        _probeLength = 0;
        _atLineStart = false;
        return data;
    }

    private ReadOnlySpan<byte> ReadHead(ReadOnlySpan<byte> data, DateTime time)
    {
        var result = _head.Append(data, out int consumed, out var reason);
        if (result == HeadBufferResult.NeedMore) return default;
        if (result == HeadBufferResult.Rejected) return Reject(reason);

        var head = HttpHeadParser.Parse(_head.Block, out reason, _sessionIds, _handler);
        _head.Reset();
        if (head is null) return Reject(reason);
        var kind = head.IsRequest ? StartLineKind.Request : StartLineKind.Response;
        if (_role != StartLineKind.None && _role != kind) return Reject(HttpRejectionReason.UnexpectedStartLine);
        _role = kind;

        _framing = _handler.OnHead(head, time);
        switch (_framing)
        {
            case BodyFraming.StopParsing:
                _state = State.Stopped;
                _handler.OnStopped(data[consumed..], time);
                return default;
            case BodyFraming.None:
            case BodyFraming.ContentLength when head.ContentLength == 0:
                _handler.OnMessageEnd(time, complete: true);
                _state = State.Head;
                break;
            case BodyFraming.ContentLength:
                _remaining = head.ContentLength;
                _state = State.Body;
                break;
            case BodyFraming.Chunked:
                (_chunked ??= new ChunkedBodyDecoder(_options.MaxLineBytes, _options.MaxHeadBytes)).Reset();
                _state = State.Body;
                break;
            default:
                _state = State.Body;
                break;
        }
        return data[consumed..];
    }

    private ReadOnlySpan<byte> ReadBody(ReadOnlySpan<byte> data, DateTime time)
    {
        switch (_framing)
        {
            case BodyFraming.ContentLength:
                int take = (int)Math.Min(_remaining, data.Length);
                _handler.OnBody(data[..take], time);
                _remaining -= take;
                if (_remaining == 0) EndMessage(time);
                return data[take..];
            case BodyFraming.Chunked:
                while (true)
                {
                    var step = _chunked!.Read(ref data, out var payload, out var reason);
                    switch (step)
                    {
                        case ChunkStep.Payload:
                            _handler.OnBody(payload, time);
                            continue;
                        case ChunkStep.Done:
                            EndMessage(time);
                            return data;
                        case ChunkStep.Rejected:
                            _handler.OnMessageEnd(time, complete: false);
                            return Reject(reason);
                        default:
                            return default;
                    }
                }
            default:
                _handler.OnBody(data, time);
                return default;
        }
    }

    private void EndMessage(DateTime time)
    {
        _handler.OnMessageEnd(time, complete: true);
        _state = State.Head;
    }

    private ReadOnlySpan<byte> Reject(HttpRejectionReason reason)
    {
        RejectionReason = reason;
        _counters.HttpRejected++;
        _state = State.Stopped;
        _handler.OnFramingLost();
        return default;
    }
}
