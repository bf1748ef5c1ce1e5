using System.Buffers;
using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// Frames one direction of a TLS connection into records (RFC 8446 5.1). A record whose body is wanted and spans
/// segments is copied into one buffer of at most the largest legal record; otherwise bodies are delivered in
/// place or skipped by counting. A header that is not TLS stops the direction (counted by the caller).
/// </summary>
internal sealed class TlsRecordStream(bool fromClient)
{
    /// <summary>2^14 plus the largest expansion TLS 1.2 allows; TLS 1.3 allows 2^14 + 256.</summary>
    public const int MaxRecordBody = 16384 + 2048;
    private const int HeaderSize = 5;

    private HeaderBytes _header; // in the object: no array of its own per direction
    private int _headerCount;
    private int _bodyLength;
    private int _bodyCount;
    private bool _keep;
    private byte[]? _body;

    /// <summary>Bytes of the record buffer held while a record spans segments (a pooled array, charged whole).</summary>
    public int HeldBytes => _body?.Length ?? 0;

    public bool Stopped { get; private set; }

    /// <summary>Set when a header was not a TLS record header.</summary>
    public bool Malformed { get; private set; }

    public void Feed(ReadOnlySpan<byte> data, ITlsRecordHandler handler, DateTime time)
    {
        while (!data.IsEmpty && !Stopped)
        {
            if (_headerCount < HeaderSize)
            {
                int take = Math.Min(HeaderSize - _headerCount, data.Length);
                data[..take].CopyTo(((Span<byte>)_header)[_headerCount..]);
                _headerCount += take;
                data = data[take..];
                if (_headerCount < HeaderSize) return;
                if (!StartBody(handler)) return;
                if (_bodyLength == 0) { Complete(handler, [], time); continue; }
            }

            int want = _bodyLength - _bodyCount;
            if (_keep && _bodyCount == 0 && data.Length >= want)
            {
                // The whole body is in this segment: no copy.
                var body = data[..want];
                data = data[want..];
                Complete(handler, body, time);
                continue;
            }

            int part = Math.Min(want, data.Length);
            if (_keep)
            {
                _body ??= ArrayPool<byte>.Shared.Rent(MaxRecordBody);
                data[..part].CopyTo(_body.AsSpan(_bodyCount));
            }
            _bodyCount += part;
            data = data[part..];
            if (_bodyCount == _bodyLength) Complete(handler, _keep ? _body.AsSpan(0, _bodyLength) : [], time);
        }
    }

    /// <summary>Stops framing (a gap, or the caller has nothing more to learn) and gives the buffer back.</summary>
    public void Stop()
    {
        Stopped = true;
        if (_body is not null) ArrayPool<byte>.Shared.Return(_body);
        _body = null;
    }

    private bool StartBody(ITlsRecordHandler handler)
    {
        byte type = _header[0];
        int length = BinaryPrimitives.ReadUInt16BigEndian(((ReadOnlySpan<byte>)_header)[3..]);
        if (type is < TlsContentType.ChangeCipherSpec or > TlsContentType.Heartbeat || _header[1] != 3 || length > MaxRecordBody)
        {
            Malformed = true;
            Stop();
            return false;
        }
        _bodyLength = length;
        _bodyCount = 0;
        _keep = handler.WantsBody(fromClient, type, length);
        return true;
    }

    private void Complete(ITlsRecordHandler handler, ReadOnlySpan<byte> body, DateTime time)
    {
        _headerCount = 0;
        handler.OnRecord(fromClient, _header, body, _keep, time);
    }

    [System.Runtime.CompilerServices.InlineArray(HeaderSize)]
    private struct HeaderBytes
    {
        private byte _first;
    }
}
