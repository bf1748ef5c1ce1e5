using System.Buffers;
using System.Buffers.Text;
using System.Text;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Parses a complete head block (start line, header lines, blank line) that <see cref="HttpHeadBuffer"/> has
/// already bounded. Lines end with CRLF or a bare LF. Returns the head or a typed rejection; never throws.
/// </summary>
internal static class HttpHeadParser
{
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8);

    /// <param name="sessionIds">The connection's last session id, reused when the same id comes again; null for none.</param>
    /// <param name="spares">Where to take an ended head of the kind parsed to refill; null for a new head.</param>
    public static HttpMessageHead? Parse(ReadOnlySpan<byte> block, out HttpRejectionReason reason, SessionIdMemo? sessionIds = null,
        IHttpMessageHandler? spares = null)
    {
        var startLine = NextLine(ref block);
        HttpMessageHead? head = startLine.StartsWith("HTTP/"u8)
            ? ParseStatusLine(startLine, out reason, spares)
            : ParseRequestLine(startLine, out reason, spares);
        if (head is null) return null;

        // Collected in per-thread scratch and copied once at their count: a list of eight grown per head cost more.
        var headers = t_headers ??= new List<KeyValuePair<string, string>>(16);
        headers.Clear();
        bool sawContentLength = false;
        while (!block.IsEmpty)
        {
            var line = NextLine(ref block);
            if (line.IsEmpty) break;
            if (line[0] is (byte)' ' or (byte)'\t') { reason = HttpRejectionReason.HeaderLineFolding; return null; }
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].IndexOfAnyExcept(TokenChars) >= 0)
            {
                reason = HttpRejectionReason.InvalidHeaderLine;
                return null;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (!ApplyFraming(head, name, value, ref sawContentLength, out reason)) return null;
            AddSelected(head, headers, name, value, sessionIds);
        }
        head.SetHeaders(headers);
        headers.Clear();

        if (head.IsRequest && head.HasTransferEncoding && !head.Chunked)
        {
            reason = HttpRejectionReason.UnsupportedTransferEncoding;
            return null;
        }
        reason = HttpRejectionReason.None;
        return head;
    }

    private static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> block)
    {
        int lf = block.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line;
        if (lf < 0) { line = block; block = default; }
        else { line = block[..lf]; block = block[(lf + 1)..]; }
        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    private static HttpMessageHead? ParseRequestLine(ReadOnlySpan<byte> line, out HttpRejectionReason reason, IHttpMessageHandler? spares)
    {
        reason = HttpRejectionReason.InvalidRequestLine;
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0 || line[..sp1].IndexOfAnyExcept(TokenChars) >= 0) return null;
        var rest = line[(sp1 + 1)..];
        int sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0) return null;
        var target = rest[..sp2];
        if (target.IndexOfAnyInRange((byte)0, (byte)0x20) >= 0 || target.Contains((byte)0x7F)) return null;
        var version = rest[(sp2 + 1)..];
        if (!IsHttp1Version(version)) { reason = HttpRejectionReason.UnrecognizedHttpVersion; return null; }
        reason = HttpRejectionReason.None;
        string methodText = StringCache.FromUtf8(line[..sp1]), targetText = StringCache.FromUtf8(target), versionText = StringCache.FromUtf8(version);
        if (spares?.TakeSpareHead(request: true) is not { } spare)
            return new HttpMessageHead { IsRequest = true, Method = methodText, Target = targetText, Version = versionText };
        spare.ReuseAsRequest(methodText, targetText, versionText);
        return spare;
    }

    private static HttpMessageHead? ParseStatusLine(ReadOnlySpan<byte> line, out HttpRejectionReason reason, IHttpMessageHandler? spares)
    {
        reason = HttpRejectionReason.InvalidStatusLine;
        int sp = line.IndexOf((byte)' ');
        if (sp < 0) return null;
        var version = line[..sp];
        if (!IsHttp1Version(version)) { reason = HttpRejectionReason.UnrecognizedHttpVersion; return null; }
        var rest = line[(sp + 1)..];
        if (rest.Length < 3 || rest[..3].IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return null;
        if (rest.Length > 3 && rest[3] != (byte)' ') return null;
        int status = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
        reason = HttpRejectionReason.None;
        var versionText = StringCache.FromUtf8(version);
        var reasonText = rest.Length > 4 ? StringCache.FromUtf8(rest[4..]) : "";
        if (spares?.TakeSpareHead(request: false) is not { } spare) return new HttpMessageHead { IsRequest = false, Version = versionText, Status = status, Reason = reasonText };
        spare.ReuseAsResponse(versionText, status, reasonText);
        return spare;
    }

    private static bool IsHttp1Version(ReadOnlySpan<byte> version) =>
        version.SequenceEqual("HTTP/1.1"u8) || version.SequenceEqual("HTTP/1.0"u8);

    private static bool ApplyFraming(HttpMessageHead head, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value,
        ref bool sawContentLength, out HttpRejectionReason reason)
    {
        reason = HttpRejectionReason.None;
        if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
        {
            if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || !Utf8Parser.TryParse(value, out long length, out int used) || used != value.Length)
            {
                reason = HttpRejectionReason.InvalidContentLength;
                return false;
            }
            if (sawContentLength && length != head.ContentLength)
            {
                reason = HttpRejectionReason.MultipleContentLengths;
                return false;
            }
            sawContentLength = true;
            head.ContentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
        {
            head.HasTransferEncoding = true;
            int comma = value.LastIndexOf((byte)',');
            var last = (comma < 0 ? value : value[(comma + 1)..]).Trim(" \t"u8);
            head.Chunked = Ascii.EqualsIgnoreCase(last, "chunked"u8);
        }
        return true;
    }

    /// <summary>Keeps a header when it is selected (HTTP/2 heads use this too); authorization keeps only its scheme.</summary>
    internal static void AddSelected(HttpMessageHead head, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        string? text = null;
        AddSelected(head, head.Headers, name, value, null, ref text);
    }

    /// <summary>
    /// As <see cref="AddSelected(HttpMessageHead, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>, with the text made of this
    /// field before (an HPACK table entry's memo): reused when set, set when made. The text depends only on the name
    /// and the value.
    /// </summary>
    internal static void AddSelected(HttpMessageHead head, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref string? text) =>
        AddSelected(head, head.Headers, name, value, null, ref text);

    /// <summary>As above, collecting into <paramref name="headers"/> (scratch the caller copies with <see cref="HttpMessageHead.SetHeaders"/>).</summary>
    internal static void AddSelected(HttpMessageHead head, List<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> value, ref string? text) =>
        AddSelected(head, headers, name, value, null, ref text);

    [ThreadStatic] private static List<KeyValuePair<string, string>>? t_headers;

    private static void AddSelected(HttpMessageHead head, List<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> value, SessionIdMemo? sessionIds)
    {
        string? text = null;
        AddSelected(head, headers, name, value, sessionIds, ref text);
    }

    private static void AddSelected(HttpMessageHead head, List<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> value, SessionIdMemo? sessionIds, ref string? made)
    {
        var selected = HttpHeaderSelection.Select(name, head.IsRequest);
        if (selected is null) return;
        if (selected == "authorization")
        {
            int sp = value.IndexOf((byte)' ');
            if (sp >= 0) value = value[..sp];
        }
        // Values that repeat across messages come from the shared table; a session's own id does not.
        string text = made ??= selected switch
        {
            "mcp-session-id" => sessionIds?.Text(value) ?? Encoding.UTF8.GetString(value),
            "last-event-id" => Encoding.UTF8.GetString(value),
            _ => StringCache.FromUtf8(value),
        };
        headers.Add(new KeyValuePair<string, string>(selected, text));
        if (selected == "host" && head.Host is null) head.Host = Host(text);
        else if (selected == "content-type" && head.ContentType is null) head.ContentType = MediaType(text);
        else if (selected == "content-encoding") head.ContentEncoding = Coding(text, head.ContentEncoding);
    }

    // The last host and content type read, by the text they were read from: an HTTP/2 field named by one byte from
    // the HPACK table is the same string (its entry's memo) at every reference, so a kilobyte host or content type
    // is normalised once per entry, not copied out again for every request that names it.
    [ThreadStatic] private static string? t_hostText, t_host, t_typeText, t_type;

    private static string Host(string text)
    {
        if (!ReferenceEquals(text, t_hostText))
        {
            t_host = HttpTarget.NormalizeHost(text);
            t_hostText = text;
        }
        return t_host!;
    }

    private static string MediaType(string text)
    {
        if (!ReferenceEquals(text, t_typeText))
        {
            t_type = ReadMediaType(text);
            t_typeText = text;
        }
        return t_type!;
    }

    /// <summary>
    /// The coding to decode; a second non-identity coding (stacked codings) is not decoded. Read in place: the value
    /// may be a kilobyte list named by one byte from the HPACK table at every request, and a string per item made it
    /// cost tens of kilobytes per byte received.
    /// </summary>
    private static ContentCoding Coding(string value, ContentCoding earlier)
    {
        ContentCoding result = earlier;
        ReadOnlySpan<char> list = value;
        foreach (var range in list.Split(','))
        {
            // Nothing decodes after a coding it cannot decode, whatever follows.
            if (result == ContentCoding.Unsupported) return result;
            var part = list[range].Trim();
            if (part.IsEmpty) continue;
            var coding = part.Equals("identity", StringComparison.OrdinalIgnoreCase) ? ContentCoding.None
                : part.Equals("gzip", StringComparison.OrdinalIgnoreCase) || part.Equals("x-gzip", StringComparison.OrdinalIgnoreCase) ? ContentCoding.Gzip
                : part.Equals("deflate", StringComparison.OrdinalIgnoreCase) ? ContentCoding.Deflate
                : part.Equals("br", StringComparison.OrdinalIgnoreCase) ? ContentCoding.Brotli
                : ContentCoding.Unsupported;
            if (coding == ContentCoding.None) continue;
            result = result == ContentCoding.None ? coding : ContentCoding.Unsupported;
        }
        return result;
    }

    private static string ReadMediaType(string contentType)
    {
        int semi = contentType.IndexOf(';');
        return (semi < 0 ? contentType : contentType[..semi]).Trim().ToLowerInvariant();
    }
}
