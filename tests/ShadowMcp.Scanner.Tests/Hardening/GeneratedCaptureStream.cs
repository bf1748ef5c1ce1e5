using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Tests.Hardening;

/// <summary>
/// A classic pcap produced on the fly from a sequence of frames, so a test can scan millions of packets without
/// holding or writing the file: the scanner reads it like any non-seekable stream (a pipe from tcpdump).
/// </summary>
internal sealed class GeneratedCaptureStream(int linkType, IEnumerable<(DateTime Time, byte[] Frame)> frames) : Stream
{
    private readonly IEnumerator<(DateTime Time, byte[] Frame)> _frames = frames.GetEnumerator();
    private byte[] _pending = Header(linkType);
    private int _offset;

    private static byte[] Header(int linkType)
    {
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)linkType);
        return header;
    }

    private static byte[] Record(DateTime time, byte[] frame)
    {
        var record = new byte[16 + frame.Length];
        long ticks = (time - DateTime.UnixEpoch).Ticks;
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(ticks / TimeSpan.TicksPerSecond));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(ticks % TimeSpan.TicksPerSecond / 10));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
        frame.CopyTo(record, 16);
        return record;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written < buffer.Length)
        {
            if (_offset == _pending.Length)
            {
                if (!_frames.MoveNext()) break;
                _pending = Record(_frames.Current.Time, _frames.Current.Frame);
                _offset = 0;
            }

            int take = Math.Min(buffer.Length - written, _pending.Length - _offset);
            _pending.AsSpan(_offset, take).CopyTo(buffer[written..]);
            _offset += take;
            written += take;
        }

        return written;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _frames.Dispose();
        base.Dispose(disposing);
    }
}
