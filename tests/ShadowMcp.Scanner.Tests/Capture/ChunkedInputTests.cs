using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Tests.Capture.Writers;

namespace ShadowMcp.Scanner.Tests.Capture;

public class ChunkedInputTests
{
    private static readonly CaptureReaderOptions SmallBuffer = new() { BufferSize = 1024, MaxFrameLength = 512 };

    private static byte[] CaptureWithLargeSkippedBlock()
    {
        var custom = new byte[5000];
        new Random(7).NextBytes(custom);
        return new PcapNgWriter()
            .Interface(LinkTypes.Raw)
            .EnhancedPacket(0, 1, [1])
            .RawBlock(0x40000BAD, custom)   // larger than the read buffer: skipped, never buffered
            .EnhancedPacket(0, 2, [2])
            .ToArray();
    }

    [Test]
    public void Skip_BlockLargerThanBufferOnSeekableStream_SeeksPastIt()
    {
        var (frames, error) = ReadFrames.From(CaptureWithLargeSkippedBlock(), options: SmallBuffer);

        Assert.That(error, Is.Null);
        Assert.That(frames.Select(f => f.Data[0]), Is.EqualTo(new byte[] { 1, 2 }));
    }

    [Test]
    public void Skip_BlockLargerThanBufferOnPipe_ReadsPastIt()
    {
        var reader = CaptureReader.Open(new ForwardOnlyStream(CaptureWithLargeSkippedBlock()), "pipe", SmallBuffer);
        var seen = new List<byte>();
        while (reader.TryReadFrame(out var frame)) seen.Add(frame.Data[0]);

        Assert.That(seen, Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(reader.Length, Is.EqualTo(-1));
    }

    [Test]
    public void Skip_BlockRunningPastEndOfFile_IsTruncationAtTheBlock()
    {
        var file = CaptureWithLargeSkippedBlock();
        var writerOffsets = new PcapNgWriter().Interface(LinkTypes.Raw).EnhancedPacket(0, 1, [1]).ToArray().Length;

        var (frames, error) = ReadFrames.From(file[..(writerOffsets + 3000)], options: SmallBuffer);

        Assert.That(frames, Has.Count.EqualTo(1));
        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.Truncated));
        Assert.That(error.Offset, Is.EqualTo(writerOffsets));
    }

    [Test]
    public void Position_AfterEachFrame_AdvancesToTheNextRecord()
    {
        var writer = new PcapWriter(LinkTypes.Raw).Add(DateTime.UnixEpoch, [1, 2]).Add(DateTime.UnixEpoch, [3]);
        var file = writer.ToArray();
        var reader = CaptureReader.Open(new MemoryStream(file), "p");

        Assert.That(reader.Length, Is.EqualTo(file.Length));
        Assert.That(reader.TryReadFrame(out _), Is.True);
        Assert.That(reader.Position, Is.EqualTo(writer.RecordOffsets[1]));
        Assert.That(reader.TryReadFrame(out _), Is.True);
        Assert.That(reader.Position, Is.EqualTo(file.Length));
    }

    /// <summary>A stream that cannot seek or tell its length, like a pipe.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 700));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
