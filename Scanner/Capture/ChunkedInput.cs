namespace ShadowMcp.Scanner.Capture;

/// <summary>
/// A forward-only window over a stream, read in large chunks into one reused buffer. Spans handed out stay
/// valid until the next <see cref="Ensure"/> or <see cref="Skip"/>.
/// </summary>
internal sealed class ChunkedInput
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start, _end;
    /// <summary>Stream offset of _buffer[0].</summary>
    private long _bufferOffset;
    private bool _eof;

    public ChunkedInput(Stream stream, int bufferSize)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
        Length = stream.CanSeek ? stream.Length : -1;
        _bufferOffset = stream.CanSeek ? stream.Position : 0;
    }

    /// <summary>Total length of the input, or -1 when the stream cannot tell.</summary>
    public long Length { get; }

    /// <summary>Offset of the next unread byte.</summary>
    public long Position => _bufferOffset + _start;

    public int Available => _end - _start;

    public int Capacity => _buffer.Length;

    /// <summary>The unread bytes in the buffer.</summary>
    public ReadOnlySpan<byte> Span => new(_buffer, _start, _end - _start);

    /// <summary>
    /// Makes at least <paramref name="count"/> bytes available (count must not exceed <see cref="Capacity"/>).
    /// False when the input ends first; <see cref="Available"/> then says how many bytes are left.
    /// </summary>
    public bool Ensure(int count) => _end - _start >= count || Fill(count);

    public void Advance(int count) => _start += count;

    /// <summary>Skips <paramref name="count"/> bytes; false when the input ends first.</summary>
    public bool Skip(long count)
    {
        int inBuffer = _end - _start;
        if (count <= inBuffer)
        {
            _start += (int)count;
            return true;
        }

        count -= inBuffer;
        _bufferOffset += _end;
        _start = _end = 0;
        if (_stream.CanSeek)
        {
            long remaining = Length - _bufferOffset;
            if (count > remaining)
            {
                _bufferOffset = Length;
                _stream.Seek(0, SeekOrigin.End);
                _eof = true;
                return false;
            }

            _stream.Seek(count, SeekOrigin.Current);
            _bufferOffset += count;
            return true;
        }

        while (count > 0)
        {
            int n = _stream.Read(_buffer, 0, (int)Math.Min(count, _buffer.Length));
            if (n == 0)
            {
                _eof = true;
                return false;
            }

            count -= n;
            _bufferOffset += n;
        }

        return true;
    }

    private bool Fill(int count)
    {
        if (count > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(count), count, "exceeds the read buffer");
        if (_start > 0)
        {
            int kept = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, kept);
            _bufferOffset += _start;
            _start = 0;
            _end = kept;
        }

        // Fill the whole buffer, not just what was asked: fewer, larger reads.
        while (_end < count && !_eof)
        {
            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) _eof = true;
            else _end += n;
        }

        return _end >= count;
    }
}
