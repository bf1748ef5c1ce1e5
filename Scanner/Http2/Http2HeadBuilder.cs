using System.Buffers.Text;
using System.Text;
using ShadowMcp.Scanner.Http;

namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// Turns one decoded HTTP/2 header block into the head the HTTP/1.x path produces: <c>:method</c>, <c>:path</c>
/// as target, <c>:authority</c> as host (and as a <c>host</c> header when none was sent), <c>:status</c>, and
/// the selected headers. Trailers and blocks of ignored streams are decoded (HPACK must stay in step) and dropped.
/// </summary>
internal sealed class Http2HeadBuilder : IHpackHeaderSink
{
    private HttpMessageHead? _head;
    private string? _authority;
    private bool _hasMethod, _hasPath, _hasStatus;

    public void Begin(bool request)
    {
        _head = new HttpMessageHead { IsRequest = request, Version = "HTTP/2" };
        _authority = null;
        _hasMethod = _hasPath = _hasStatus = false;
    }

    /// <summary>The block is decoded only to keep the table in step.</summary>
    public void Discard() => _head = null;

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var head = _head;
        if (head is null) return;
        if (!name.IsEmpty && name[0] == (byte)':')
        {
            Pseudo(head, name, value);
            return;
        }
        if (name.SequenceEqual("content-length"u8))
        {
            if (Utf8Parser.TryParse(value, out long length, out int used) && used == value.Length && length >= 0) head.ContentLength = length;
        }
        HttpHeadParser.AddSelected(head, name, value);
    }

    /// <summary>The head, or null for a dropped block or one without its required pseudo-headers.</summary>
    public HttpMessageHead? End()
    {
        var head = _head;
        _head = null;
        if (head is null) return null;
        if (head.IsRequest)
        {
            if (!_hasMethod) return null;
            if (!_hasPath) head.Target = _authority ?? "";
            if (_authority is not null && head.Host is null)
            {
                head.Host = HttpTarget.NormalizeHost(_authority);
                head.Headers.Insert(0, new KeyValuePair<string, string>("host", _authority));
            }
            return head;
        }
        return _hasStatus ? head : null;
    }

    private void Pseudo(HttpMessageHead head, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (head.IsRequest)
        {
            if (name.SequenceEqual(":method"u8)) { head.Method = Encoding.ASCII.GetString(value); _hasMethod = true; }
            else if (name.SequenceEqual(":path"u8)) { head.Target = Encoding.UTF8.GetString(value); _hasPath = true; }
            else if (name.SequenceEqual(":authority"u8)) _authority = Encoding.UTF8.GetString(value);
            return;
        }
        if (name.SequenceEqual(":status"u8) && value.Length == 3
            && Utf8Parser.TryParse(value, out int status, out int used) && used == 3)
        {
            head.Status = status;
            _hasStatus = true;
        }
    }
}
