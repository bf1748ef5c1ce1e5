using ShadowMcp.Scanner.Buffers;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Collects one head (start line to blank line) across segments and enforces the limits before anything is
/// parsed: line length, head size and header count. Blank lines before a start line are skipped (RFC 9112 2.2).
/// The bytes live in a pooled array from the head's first byte until <see cref="Reset"/> (after parsing).
/// </summary>
internal sealed class HttpHeadBuffer(int maxLineBytes, int maxHeadBytes, int maxHeaders)
{
    private byte[] _buffer = [];

    /// <summary>Bytes this buffer holds on the heap, for the flow memory budget.</summary>
    public int HeldBytes => _buffer.Length;
    private int _length;
    private int _lineStart;
    private int _lines;

    public ReadOnlySpan<byte> Block => _buffer.AsSpan(0, _length);

    /// <summary>Forgets the head and gives its bytes back to the pool: the parsed head holds no reference to them.</summary>
    public void Reset()
    {
        PooledBytes.Release(ref _buffer);
        _length = 0;
        _lineStart = 0;
        _lines = 0;
    }

    /// <summary>Appends bytes up to and including the blank line that ends the head.</summary>
    public HeadBufferResult Append(ReadOnlySpan<byte> data, out int consumed, out HttpRejectionReason reason)
    {
        consumed = 0;
        reason = HttpRejectionReason.None;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            int lf = rest.IndexOf((byte)'\n');
            int take = lf < 0 ? rest.Length : lf + 1;
            int lineLength = _length - _lineStart + take;
            if (lineLength - (lf < 0 ? 0 : 1) > maxLineBytes + 1) // +1: a CR before the LF is not content
            {
                reason = HttpRejectionReason.LineTooLong;
                return HeadBufferResult.Rejected;
            }
            if (_length + take > maxHeadBytes)
            {
                reason = HttpRejectionReason.HeadersTooLarge;
                return HeadBufferResult.Rejected;
            }
            Write(rest[..take]);
            consumed += take;
            if (lf < 0) return HeadBufferResult.NeedMore;

            bool blank = _length - _lineStart <= 2 && IsBlankLine(_buffer.AsSpan(_lineStart, _length - _lineStart));
            if (blank)
            {
                if (_lines == 0) { Reset(); continue; }
                return HeadBufferResult.Complete;
            }
            if (++_lines > maxHeaders + 1)
            {
                reason = HttpRejectionReason.TooManyHeaders;
                return HeadBufferResult.Rejected;
            }
            _lineStart = _length;
        }
        return HeadBufferResult.NeedMore;
    }

    private static bool IsBlankLine(ReadOnlySpan<byte> line) =>
        line.SequenceEqual("\n"u8) || line.SequenceEqual("\r\n"u8);

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            int size = Math.Max(512, _buffer.Length * 2);
            while (size < _length + bytes.Length) size *= 2;
            PooledBytes.Grow(ref _buffer, _length, Math.Min(size, Math.Max(maxHeadBytes, _length + bytes.Length)));
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}
