using System.Buffers.Text;
using System.Text;
using ShadowMcp.Scanner.Http;

namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// Turns one decoded HTTP/2 header block into the head the HTTP/1.x path produces: <c>:method</c>, <c>:path</c>
/// as target, <c>:authority</c> as host (and as a <c>host</c> header when none was sent), <c>:status</c>, and
/// the selected headers. Trailers and blocks of ignored streams are decoded (HPACK must stay in step) and dropped.
/// A field taken from the HPACK table is made into a string once per table entry, not per reference; a block with
/// more fields than an HTTP/1.x head may have lines is dropped, like the HTTP/1.x head would be.
/// </summary>
internal sealed class Http2HeadBuilder(int maxFields) : IHpackHeaderSink
{
    private HttpMessageHead? _head;
    private string? _authority;
    private bool _hasMethod, _hasPath, _hasStatus;
    private int _fields;
    // The block's selected headers, copied into the head at their count when it ends: a head's own list starts at
    // eight slots, which most heads (one to three selected headers) never use.
    private readonly List<KeyValuePair<string, string>> _headers = new(16);
    // The last :authority normalised, by reference: an authority from the HPACK table is the same string each time.
    private string? _lastAuthority, _lastHost;

    /// <summary>The last block had more fields than <c>maxFields</c>: its head was dropped.</summary>
    public bool TooManyFields { get; private set; }

    /// <summary>Starts a head, refilling <paramref name="spare"/> (an ended head nothing refers to) when there is one.</summary>
    public void Begin(bool request, HttpMessageHead? spare = null)
    {
        if (spare is null) _head = new HttpMessageHead { IsRequest = request, Version = "HTTP/2" };
        else
        {
            if (request) spare.ReuseAsRequest("", "", "HTTP/2");
            else spare.ReuseAsResponse("HTTP/2", 0, "");
            _head = spare;
        }
        _authority = null;
        _hasMethod = _hasPath = _hasStatus = false;
        _fields = 0;
        TooManyFields = false;
        _headers.Clear();
    }

    /// <summary>The block is decoded only to keep the table in step.</summary>
    public void Discard()
    {
        _head = null;
        TooManyFields = false;
    }

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        string? text = null;
        OnIndexedHeader(name, value, ref text);
    }

    public void OnIndexedHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref string? text)
    {
        var head = _head;
        if (head is null) return;
        if (++_fields > maxFields)
        {
            TooManyFields = true;
            _head = null;
            return;
        }
        if (!name.IsEmpty && name[0] == (byte)':')
        {
            Pseudo(head, name, value, ref text);
            return;
        }
        if (name.SequenceEqual("content-length"u8))
        {
            if (Utf8Parser.TryParse(value, out long length, out int used) && used == value.Length && length >= 0) head.ContentLength = length;
        }
        HttpHeadParser.AddSelected(head, _headers, name, value, ref text);
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
                if (!ReferenceEquals(_authority, _lastAuthority))
                {
                    _lastHost = HttpTarget.NormalizeHost(_authority);
                    _lastAuthority = _authority;
                }
                head.Host = _lastHost;
                _headers.Insert(0, new KeyValuePair<string, string>("host", _authority));
            }
            head.SetHeaders(_headers);
            return head;
        }
        if (!_hasStatus) return null;
        head.SetHeaders(_headers);
        return head;
    }

    private void Pseudo(HttpMessageHead head, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref string? text)
    {
        if (head.IsRequest)
        {
            if (name.SequenceEqual(":method"u8)) { head.Method = text ??= Encoding.ASCII.GetString(value); _hasMethod = true; }
            else if (name.SequenceEqual(":path"u8)) { head.Target = text ??= Encoding.UTF8.GetString(value); _hasPath = true; }
            else if (name.SequenceEqual(":authority"u8)) _authority = text ??= Encoding.UTF8.GetString(value);
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
