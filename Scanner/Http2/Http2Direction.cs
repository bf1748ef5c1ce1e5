using ShadowMcp.Scanner.Buffers;

namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// One direction of an HTTP/2 connection: its frame reader, its HPACK decoder (each direction has its own
/// table) and a header block being continued by CONTINUATION frames.
/// </summary>
internal sealed class Http2Direction : IHttp2FrameHandler
{
    private readonly Http2Connection _connection;
    private readonly int _maxBlockBytes;
    private byte[] _block = [];
    private int _blockLength;
    private int _blockStream = -1;
    private byte _blockFlags;
    private bool _blockIsPush;

    public Http2Direction(Http2Connection connection, bool fromClient, Http2Limits limits)
    {
        _connection = connection;
        FromClient = fromClient;
        _maxBlockBytes = limits.MaxHeaderBlockBytes;
        Reader = new Http2FrameReader(this, expectPreface: fromClient, limits.MaxFrameBytes);
        Hpack = new HpackDecoder(limits.MaxTableBytes, limits.MaxHeaderListBytes);
    }

    public bool FromClient { get; }

    public Http2FrameReader Reader { get; }

    public HpackDecoder Hpack { get; }

    /// <summary>Frame payload, header block being continued and this direction's HPACK state.</summary>
    public int HeldBytes => Reader.HeldBytes + _block.Length + Hpack.HeldBytes;

    public void OnFrame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload, DateTime time)
    {
        _connection.Counters.Http2Frames++;
        if (_blockStream >= 0)
        {
            // Only CONTINUATION of the same stream may follow a header block that has not ended (RFC 9113 6.10).
            if (type != Http2FrameType.Continuation || streamId != _blockStream)
            {
                _connection.StopDirection(this, Http2StopReason.HeaderBlock, time);
                return;
            }
            if (!Append(payload, time)) return;
            if ((flags & Http2FrameType.EndHeaders) != 0) FinishBlock(time);
            return;
        }
        switch (type)
        {
            case Http2FrameType.Headers:
                StartBlock(flags, streamId, payload, isPush: false, time);
                break;
            case Http2FrameType.PushPromise:
                StartBlock(flags, streamId, payload, isPush: true, time);
                break;
            case Http2FrameType.RstStream:
                _connection.OnReset(streamId, time);
                break;
            case Http2FrameType.Continuation:
                _connection.StopDirection(this, Http2StopReason.HeaderBlock, time);
                break;
        }
    }

    public void OnData(int streamId, ReadOnlySpan<byte> data, DateTime time) => _connection.OnData(this, streamId, data, time);

    public void OnError(Http2StopReason reason, DateTime time) => _connection.StopDirection(this, reason, time);

    public void OnDataEnd(int streamId, bool endStream, DateTime time)
    {
        _connection.Counters.Http2Frames++;
        if (endStream) _connection.OnEndStream(this, streamId, time);
    }

    private void StartBlock(byte flags, int streamId, ReadOnlySpan<byte> payload, bool isPush, DateTime time)
    {
        if ((flags & Http2FrameType.Padded) != 0)
        {
            if (payload.IsEmpty || payload[0] >= payload.Length)
            {
                _connection.StopDirection(this, Http2StopReason.BadPadding, time);
                return;
            }
            payload = payload[1..^payload[0]];
        }
        int skip = isPush ? 4 : (flags & Http2FrameType.Priority) != 0 ? 5 : 0;
        if (payload.Length < skip)
        {
            _connection.StopDirection(this, Http2StopReason.HeaderBlock, time);
            return;
        }
        _blockLength = 0;
        _blockStream = streamId;
        _blockFlags = flags;
        _blockIsPush = isPush;
        if (!Append(payload[skip..], time)) return;
        if ((flags & Http2FrameType.EndHeaders) != 0) FinishBlock(time);
    }

    private bool Append(ReadOnlySpan<byte> fragment, DateTime time)
    {
        if (_blockLength + fragment.Length > _maxBlockBytes)
        {
            _connection.StopDirection(this, Http2StopReason.HeaderBlock, time);
            return false;
        }
        if (_block.Length < _blockLength + fragment.Length)
            PooledBytes.Grow(ref _block, _blockLength, Math.Min(_maxBlockBytes, Math.Max(_blockLength + fragment.Length, Math.Max(1024, _block.Length * 2))));
        fragment.CopyTo(_block.AsSpan(_blockLength));
        _blockLength += fragment.Length;
        return true;
    }

    private void FinishBlock(DateTime time)
    {
        int streamId = _blockStream;
        _blockStream = -1;
        bool endStream = (_blockFlags & Http2FrameType.EndStream) != 0;
        _connection.OnHeaderBlock(this, streamId, _block.AsSpan(0, _blockLength), endStream && !_blockIsPush, _blockIsPush, time);
        if (_block.Length > 16 * 1024) PooledBytes.Release(ref _block);
    }

    public void Stop(Http2StopReason reason)
    {
        _blockStream = -1;
        _block = []; // not back to the pool: a stop may come while the block is being decoded
        Reader.Stop(reason);
    }
}
