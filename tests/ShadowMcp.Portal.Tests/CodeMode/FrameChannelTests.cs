using System.Buffers.Binary;
using System.Text;
using ShadowMcp.Portal.CodeMode.Worker;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// What the portal reads of a worker's frame: a frame that is not a result is held to the request limit
/// (2 x codeMode.maxArgumentBytes + 64 KiB) and refused from its length and opening, its body never read.
/// </summary>
public sealed class FrameChannelTests
{
    private static readonly CodeModeSettings Settings = new();

    [Test]
    public void CallFrameOverRequestLimit_IsRefusedBeforeItsBodyIsRead()
    {
        var opening = "{\"t\":\"call\",\"id\":1,\"name\":\"alpha_echo\",\"text\":\"{\\\"text\\\":\\\""u8.ToArray();
        using var input = new CountingStream(20 * 1024 * 1024, opening);
        var channel = new FrameChannel(input, Stream.Null, FrameChannel.FrameLimit(Settings), FrameChannel.RequestFrameLimit(Settings));
        var e = Assert.ThrowsAsync<InvalidDataException>(async () => await channel.ReadAsync(CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("not a result"));
        Assert.That(input.Served, Is.EqualTo(4 + "{\"t\":\"done\""u8.Length), "the length and the frame's opening only");
    }

    [TestCase(true, TestName = "CallFrameOverRequestLimit_OpenedAsAResultWithADuplicateTypeKey_IsRefused_Async")]
    [TestCase(false, TestName = "CallFrameOverRequestLimit_OpenedAsAResultWithADuplicateTypeKey_IsRefused_Blocking")]
    public async Task CallFrameOverRequestLimit_OpenedAsAResultWithADuplicateTypeKey_IsRefused(bool async)
    {
        // A taken-over worker opens its call frame the way a result opens, then names its type again: a deserializer
        // that keeps the last key reads a call whose arguments are far over the limit, past the opening check.
        var text = new string('a', FrameChannel.RequestFrameLimit(Settings) + 1024);
        var body = Encoding.UTF8.GetBytes("{\"t\":\"done\",\"t\":\"call\",\"id\":1,\"name\":\"alpha_echo\",\"text\":\"" + text + "\"}");
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        using var input = new MemoryStream(frame);
        var channel = new FrameChannel(input, Stream.Null, FrameChannel.FrameLimit(Settings), FrameChannel.RequestFrameLimit(Settings));

        WorkerMessage? read = null;
        try { read = async ? await channel.ReadAsync(CancellationToken.None) : channel.Read(); }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException) { }

        Assert.That(read?.Type, Is.Not.EqualTo("call"), "a call's arguments over the request limit reached the portal");
    }

    [Test]
    public void FrameOverTheResultLimit_IsRefusedFromItsLengthAlone()
    {
        using var input = new CountingStream(FrameChannel.FrameLimit(Settings) + 1, """{"t":"done","""u8.ToArray());
        var channel = new FrameChannel(input, Stream.Null, FrameChannel.FrameLimit(Settings), FrameChannel.RequestFrameLimit(Settings));
        Assert.ThrowsAsync<InvalidDataException>(async () => await channel.ReadAsync(CancellationToken.None));
        Assert.That(input.Served, Is.EqualTo(4));
    }

    [Test]
    public async Task ResultFrameOverRequestLimit_IsRead()
    {
        var text = new string('r', 3 * 1024 * 1024);
        using var pipe = new MemoryStream();
        new FrameChannel(Stream.Null, pipe, FrameChannel.FrameLimit(Settings)).Write(new WorkerMessage { Type = "done", Ok = true, Text = text });
        pipe.Position = 0;
        var channel = new FrameChannel(pipe, Stream.Null, FrameChannel.FrameLimit(Settings), FrameChannel.RequestFrameLimit(Settings));
        var done = await channel.ReadAsync(CancellationToken.None);
        Assert.That(done!.Type, Is.EqualTo("done"));
        Assert.That(done.Text, Has.Length.EqualTo(text.Length));
    }

    [Test]
    public async Task CallAtTheArgumentLimit_FitsItsFrame_EvenAllQuotes()
    {
        // JSON whose every character needs escaping in the frame (quotes escaped again): twice its size, the most
        // JSON.stringify output can grow.
        var json = "[" + string.Join(",", Enumerable.Repeat("\"\\\"\"", (Settings.MaxArgumentBytes - 2) / 5)) + "]";
        Assert.That(Encoding.UTF8.GetByteCount(json), Is.LessThanOrEqualTo(Settings.MaxArgumentBytes));
        using var pipe = new MemoryStream();
        var writer = new FrameChannel(Stream.Null, pipe, 64 * 1024 * 1024);
        Assert.That(writer.TryWrite(new WorkerMessage { Type = "call", Id = 1, Name = "alpha_echo", Text = json }, FrameChannel.RequestFrameLimit(Settings)), Is.True);
        pipe.Position = 0;
        var call = await new FrameChannel(pipe, Stream.Null, FrameChannel.FrameLimit(Settings), FrameChannel.RequestFrameLimit(Settings))
            .ReadAsync(CancellationToken.None);
        Assert.That(call!.Text, Is.EqualTo(json));
    }

    [Test]
    public void TryWrite_OverTheLimit_WritesNothing()
    {
        using var pipe = new MemoryStream();
        var writer = new FrameChannel(Stream.Null, pipe, 64 * 1024 * 1024);
        Assert.That(writer.TryWrite(new WorkerMessage { Type = "call", Id = 1, Text = new string('x', 2000) }, 1000), Is.False);
        Assert.That(pipe.Length, Is.Zero);
    }

    /// <summary>A frame header announcing <c>length</c> bytes, then the opening, then 'x' for ever: counts what was read.</summary>
    private sealed class CountingStream(int length, byte[] opening) : Stream
    {
        private readonly byte[] _start = Start(length, opening);

        public long Served { get; private set; }

        private static byte[] Start(int length, byte[] opening)
        {
            var start = new byte[4 + opening.Length];
            BinaryPrimitives.WriteInt32BigEndian(start, length);
            opening.CopyTo(start, 4);
            return start;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = 0;
            while (n < buffer.Length)
            {
                buffer[n++] = Served < _start.Length ? _start[Served] : (byte)'x';
                Served++;
            }
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => new(Read(buffer.Span));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
