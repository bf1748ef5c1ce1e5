using System.Buffers;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// Joins one direction's handshake messages across records (RFC 8446 4). Bodies of the message types the caller
/// keeps are collected up to a limit; other bodies are only counted past, so certificates cost no memory.
/// </summary>
internal sealed class TlsHandshakeAssembler(int maxKeptBody)
{
    private HeaderBytes _header; // in the object: no array of its own per direction
    private int _headerCount;
    private int _length;
    private int _count;
    private bool _keep;
    private byte[]? _body;

    /// <summary>Bytes of the message buffer held while a kept message spans records (pooled, charged whole).</summary>
    public int HeldBytes => _body?.Length ?? 0;

    /// <summary>Feeds handshake bytes; calls <paramref name="handler"/> with (type, body or empty when not kept).</summary>
    public void Feed(ReadOnlySpan<byte> data, Func<int, bool> keep, ITlsHandshakeHandler handler, bool fromClient)
    {
        while (!data.IsEmpty)
        {
            if (_headerCount < 4)
            {
                int take = Math.Min(4 - _headerCount, data.Length);
                data[..take].CopyTo(((Span<byte>)_header)[_headerCount..]);
                _headerCount += take;
                data = data[take..];
                if (_headerCount < 4) return;
                _length = (_header[1] << 16) | (_header[2] << 8) | _header[3];
                _count = 0;
                _keep = keep(_header[0]) && _length <= maxKeptBody;
                if (_length == 0) { Finish(handler, fromClient, []); continue; }
            }

            int want = _length - _count;
            if (_keep && _count == 0 && data.Length >= want)
            {
                var whole = data[..want];
                data = data[want..];
                Finish(handler, fromClient, whole);
                continue;
            }
            int part = Math.Min(want, data.Length);
            if (_keep)
            {
                _body ??= ArrayPool<byte>.Shared.Rent(maxKeptBody);
                data[..part].CopyTo(_body.AsSpan(_count));
            }
            _count += part;
            data = data[part..];
            if (_count == _length) Finish(handler, fromClient, _keep ? _body.AsSpan(0, _length) : []);
        }
    }

    public void Release()
    {
        if (_body is not null) ArrayPool<byte>.Shared.Return(_body);
        _body = null;
    }

    private void Finish(ITlsHandshakeHandler handler, bool fromClient, ReadOnlySpan<byte> body)
    {
        _headerCount = 0;
        handler.OnHandshake(fromClient, _header[0], body, _keep);
    }

    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct HeaderBytes
    {
        private byte _first;
    }
}

/// <summary>Receives whole handshake messages; <c>kept</c> says whether <c>body</c> holds the message.</summary>
internal interface ITlsHandshakeHandler
{
    void OnHandshake(bool fromClient, int type, ReadOnlySpan<byte> body, bool kept);
}
