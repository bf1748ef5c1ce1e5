using ShadowMcp.Scanner.Buffers;

namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// Frames of one HTTP/2 direction (RFC 9113 section 4) in any split: the client's connection preface, the 9-byte
/// frame header, then the payload. DATA payloads stream through without buffering, whatever their size; other
/// frames are buffered up to <c>maxFrameBytes</c>, and a larger one stops the direction.
/// </summary>
internal sealed class Http2FrameReader(IHttp2FrameHandler handler, bool expectPreface, int maxFrameBytes)
{
    private enum State { Preface, Header, Payload, DataPadLength, Data, Padding, Stopped }

    private readonly byte[] _header = new byte[Http2FrameType.HeaderLength];
    private byte[] _payload = [];
    private State _state = expectPreface ? State.Preface : State.Header;
    private int _count; // bytes of the preface, header or payload read so far
    private int _length;
    private byte _type, _flags;
    private int _streamId;
    private int _dataRemaining, _padRemaining;

    public bool Stopped => _state == State.Stopped;

    public Http2StopReason StopReason { get; private set; }

    /// <summary>Bytes of the payload buffer kept for a frame that spans segments.</summary>
    public int HeldBytes => _payload.Length;

    public void Stop(Http2StopReason reason)
    {
        if (_state == State.Stopped) return;
        _state = State.Stopped;
        StopReason = reason;
        _payload = []; // not back to the pool: a stop may come while the frame's payload is being handled
    }

    public void Feed(ReadOnlySpan<byte> data, DateTime time)
    {
        while (!data.IsEmpty && _state != State.Stopped)
        {
            data = _state switch
            {
                State.Preface => ReadPreface(data, time),
                State.Header => ReadHeader(data, time),
                State.Payload => ReadPayload(data, time),
                State.DataPadLength => ReadPadLength(data, time),
                State.Data => ReadData(data, time),
                _ => ReadPadding(data, time),
            };
        }
    }

    private ReadOnlySpan<byte> ReadPreface(ReadOnlySpan<byte> data, DateTime time)
    {
        var preface = Http2FrameType.Preface;
        int take = Math.Min(preface.Length - _count, data.Length);
        if (!data[..take].SequenceEqual(preface.Slice(_count, take)))
        {
            handler.OnError(Http2StopReason.BadPreface, time);
            Stop(Http2StopReason.BadPreface);
            return default;
        }
        _count += take;
        if (_count == preface.Length)
        {
            _count = 0;
            _state = State.Header;
        }
        return data[take..];
    }

    private ReadOnlySpan<byte> ReadHeader(ReadOnlySpan<byte> data, DateTime time)
    {
        int take = Math.Min(_header.Length - _count, data.Length);
        data[..take].CopyTo(_header.AsSpan(_count));
        _count += take;
        if (_count < _header.Length) return data[take..];
        _count = 0;
        _length = (_header[0] << 16) | (_header[1] << 8) | _header[2];
        _type = _header[3];
        _flags = _header[4];
        _streamId = ((_header[5] & 0x7F) << 24) | (_header[6] << 16) | (_header[7] << 8) | _header[8];
        if (_type == Http2FrameType.Data)
        {
            _padRemaining = 0;
            _dataRemaining = _length;
            if ((_flags & Http2FrameType.Padded) != 0) _state = State.DataPadLength;
            else if (_length == 0) EndData(time);
            else _state = State.Data;
            return data[take..];
        }
        if (_length > maxFrameBytes)
        {
            handler.OnError(Http2StopReason.FrameTooLarge, time);
            Stop(Http2StopReason.FrameTooLarge);
            return default;
        }
        if (_length == 0)
        {
            handler.OnFrame(_type, _flags, _streamId, default, time);
            return data[take..];
        }
        if (_payload.Length < _length) PooledBytes.Grow(ref _payload, 0, Math.Max(_length, Math.Min(maxFrameBytes, 1024)));
        _state = State.Payload;
        return data[take..];
    }

    private ReadOnlySpan<byte> ReadPayload(ReadOnlySpan<byte> data, DateTime time)
    {
        int take = Math.Min(_length - _count, data.Length);
        data[..take].CopyTo(_payload.AsSpan(_count));
        _count += take;
        if (_count < _length) return data[take..];
        _count = 0;
        _state = State.Header;
        handler.OnFrame(_type, _flags, _streamId, _payload.AsSpan(0, _length), time);
        // A large frame's buffer is not kept for the rest of the connection; it goes back to the pool, so a peer
        // sending large frames one after another does not cost a new buffer each.
        if (_payload.Length > 16 * 1024) PooledBytes.Release(ref _payload);
        return data[take..];
    }

    private ReadOnlySpan<byte> ReadPadLength(ReadOnlySpan<byte> data, DateTime time)
    {
        int pad = data[0];
        if (_length == 0 || pad > _length - 1)
        {
            handler.OnError(Http2StopReason.BadPadding, time);
            Stop(Http2StopReason.BadPadding);
            return default;
        }
        _padRemaining = pad;
        _dataRemaining = _length - 1 - pad;
        _state = State.Data;
        if (_dataRemaining == 0) _state = _padRemaining > 0 ? State.Padding : State.Header;
        if (_state == State.Header) EndData(time);
        return data[1..];
    }

    private ReadOnlySpan<byte> ReadData(ReadOnlySpan<byte> data, DateTime time)
    {
        int take = Math.Min(_dataRemaining, data.Length);
        if (take > 0) handler.OnData(_streamId, data[..take], time);
        _dataRemaining -= take;
        if (_dataRemaining == 0)
        {
            if (_padRemaining > 0) _state = State.Padding;
            else EndData(time);
        }
        return data[take..];
    }

    private ReadOnlySpan<byte> ReadPadding(ReadOnlySpan<byte> data, DateTime time)
    {
        int take = Math.Min(_padRemaining, data.Length);
        _padRemaining -= take;
        if (_padRemaining == 0) EndData(time);
        return data[take..];
    }

    private void EndData(DateTime time)
    {
        _state = State.Header;
        handler.OnDataEnd(_streamId, (_flags & Http2FrameType.EndStream) != 0, time);
    }
}
