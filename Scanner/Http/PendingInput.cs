using System.Buffers;
using ShadowMcp.Scanner.Buffers;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// A read-only stream over bytes pushed in by the analyzer, so the pull-based decompressors of
/// System.IO.Compression can run on a push-fed body: a read with nothing pending returns 0 ("no more yet"),
/// and the decompressor keeps its state for the next push.
/// </summary>
internal sealed class PendingInput : Stream
{
    private const int MaxRead = 256;

    private byte[] _buffer = [];
    private int _start, _end;

    public int Available => _end - _start;

    public ReadOnlySpan<byte> Peek => _buffer.AsSpan(_start, _end - _start);

    public void Push(ReadOnlySpan<byte> data)
    {
        if (_start == _end) _start = _end = 0;
        if (_buffer.Length - _end < data.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Available + data.Length, Math.Max(4096, _buffer.Length)));
            Peek.CopyTo(bigger);
            _end = Available;
            _start = 0;
            PooledBytes.Release(ref _buffer);
            _buffer = bigger;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Heap bytes of the pending-input buffer, for the flow memory budget.</summary>
    public int HeldBytes => _buffer.Length;

    /// <summary>
    /// Drops what is pending and gives the buffer back to the pool: a message's decoder is done with it, and an
    /// assembler kept for a later message (an ended HTTP/2 stream's) must not keep it.
    /// </summary>
    public void Clear()
    {
        _start = _end = 0;
        PooledBytes.Release(ref _buffer);
    }

    public override int Read(Span<byte> buffer)
    {
        // Small reads keep what the decoder has taken close to what it has decoded, for the ratio limit.
        int take = Math.Min(Math.Min(buffer.Length, MaxRead), Available);
        _buffer.AsSpan(_start, take).CopyTo(buffer);
        _start += take;
        return take;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
