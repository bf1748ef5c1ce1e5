using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Tests.Capture.Writers;

namespace ShadowMcp.Scanner.Tests.Capture;

public class PcapReaderTests
{
    private static readonly DateTime T0 = new(2025, 3, 14, 15, 9, 26, DateTimeKind.Utc);

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void TryReadFrame_BothByteOrdersAndPrecisions_ReturnsFramesWithExactTimes(bool bigEndian, bool nanoseconds)
    {
        // Microseconds cannot hold the seventh tick digit; nanoseconds can.
        var first = T0.AddTicks(nanoseconds ? 1234567 : 1234560);
        var writer = new PcapWriter(LinkTypes.Ethernet, bigEndian, nanoseconds);
        writer.Add(first, [1, 2, 3]).Add(T0.AddSeconds(1), [4, 5, 6, 7], originalLength: 1500);

        var (frames, error) = ReadFrames.From(writer.ToArray());

        Assert.That(error, Is.Null);
        Assert.That(frames, Has.Count.EqualTo(2));
        Assert.That(frames[0].Time, Is.EqualTo(first));
        Assert.That(frames[0].Time.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That(frames[0].Data, Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(frames[0].Offset, Is.EqualTo(24));
        Assert.That(frames[1].Data, Is.EqualTo(new byte[] { 4, 5, 6, 7 }));
        Assert.That(frames[1].OriginalLength, Is.EqualTo(1500));
        Assert.That(frames[1].Offset, Is.EqualTo(24 + 16 + 3));
        Assert.That(frames[1].LinkType, Is.EqualTo(LinkTypes.Ethernet));
    }

    [Test]
    public void TryReadFrame_NanosecondFraction_KeepsTicksAndDropsSubTickDigits()
    {
        var writer = new PcapWriter(LinkTypes.Raw, nanoseconds: true).AddRaw(1_700_000_000, 123_456_789, [0x45]);

        var (frames, _) = ReadFrames.From(writer.ToArray());

        Assert.That(frames[0].Time, Is.EqualTo(DateTime.UnixEpoch.AddSeconds(1_700_000_000).AddTicks(1_234_567)));
    }

    [Test]
    public void TryReadFrame_MicrosecondFraction_GivesExactDateTime()
    {
        var writer = new PcapWriter(LinkTypes.Raw).AddRaw(1_700_000_000, 999_999, [0x45]);

        var (frames, _) = ReadFrames.From(writer.ToArray());

        Assert.That(frames[0].Time, Is.EqualTo(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc).AddTicks(9_999_990)));
    }

    [TestCase(LinkTypes.Ethernet)]
    [TestCase(LinkTypes.LinuxSll)]
    [TestCase(LinkTypes.LinuxSll2)]
    [TestCase(LinkTypes.Null)]
    [TestCase(LinkTypes.Loop)]
    [TestCase(LinkTypes.Raw)]
    [TestCase(LinkTypes.RawBsd12)]
    [TestCase(LinkTypes.RawOpenBsd14)]
    public void Open_SupportedLinkType_TakesLinkTypeFromHeader(int linkType)
    {
        var (frames, error) = ReadFrames.From(new PcapWriter(linkType).Add(T0, [9]).ToArray());

        Assert.That(error, Is.Null);
        Assert.That(frames[0].LinkType, Is.EqualTo(linkType));
    }

    [Test]
    public void Open_UnsupportedLinkType_FailsOnceNamingTypeAndFile()
    {
        var file = new PcapWriter(linkType: 147).Add(T0, [1]).Add(T0, [2]).ToArray();

        var (frames, error) = ReadFrames.From(file, "usb.pcap");

        Assert.That(frames, Is.Empty);
        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.UnsupportedLinkType));
        Assert.That(error.Message, Does.Contain("usb.pcap").And.Contain("link type 147"));
    }

    [Test]
    public void Open_TextFile_FailsAsNotACaptureShowingFirstBytes()
    {
        var (_, error) = ReadFrames.From("GET / HTTP/1.1\r\n"u8.ToArray(), "notes.txt");

        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.NotACapture));
        Assert.That(error.Message, Does.StartWith("notes.txt: not a pcap or pcapng file: first bytes 474554202F204854"));
    }

    [Test]
    public void Open_EmptyFile_FailsAsNotACapture()
    {
        var (_, error) = ReadFrames.From([], "empty.pcap");

        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.NotACapture));
        Assert.That(error.Message, Does.Contain("empty.pcap").And.Contain("empty"));
    }

    [Test]
    public void TryReadFrame_CapturedLengthOverLimit_FailsAsCorruptAtRecordOffset()
    {
        var writer = new PcapWriter(LinkTypes.Ethernet).Add(T0, [1, 2]).Add(T0, [3], capturedLengthOverride: 300_000);

        var (frames, error) = ReadFrames.From(writer.ToArray(), "big.pcap");

        Assert.That(frames, Has.Count.EqualTo(1));
        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.Corrupt));
        Assert.That(error.Offset, Is.EqualTo(writer.RecordOffsets[1]));
        Assert.That(error.Message, Does.Contain("big.pcap").And.Contain("300000").And.Contain($"offset {writer.RecordOffsets[1]}"));
    }

    [Test]
    public void TryReadFrame_EveryTruncationPrefix_DeliversCompleteFramesThenReportsTheCutRecord()
    {
        var writer = new PcapWriter(LinkTypes.Ethernet, bigEndian: true);
        for (int i = 0; i < 4; i++) writer.Add(T0.AddSeconds(i), Enumerable.Repeat((byte)i, 10 + i).ToArray());
        var file = writer.ToArray();
        var ends = writer.RecordOffsets.Skip(1).Append(file.Length).ToList();

        for (int length = 1; length <= file.Length; length++)
        {
            var (frames, error) = ReadFrames.From(file[..length], "cut.pcap");

            int complete = ends.Count(end => end <= length);
            Assert.That(frames, Has.Count.EqualTo(complete), $"prefix {length}");
            for (int i = 0; i < complete; i++) Assert.That(frames[i].Data[0], Is.EqualTo((byte)i));
            bool clean = length == 24 || ends.Contains(length);
            if (clean)
            {
                Assert.That(error, Is.Null, $"prefix {length}");
                continue;
            }

            Assert.That(error, Is.Not.Null, $"prefix {length}");
            Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.Truncated), $"prefix {length}");
            long expectedOffset = length < 24 ? 0 : writer.RecordOffsets[complete];
            Assert.That(error.Offset, Is.EqualTo(expectedOffset), $"prefix {length}");
            Assert.That(error.Message, Does.Contain("cut.pcap"));
        }
    }

    [Test]
    public void TryReadFrame_SmallBuffer_ReadsFramesAcrossManyRefills()
    {
        var writer = new PcapWriter(LinkTypes.Ethernet);
        for (int i = 0; i < 500; i++) writer.Add(T0.AddMilliseconds(i), Enumerable.Repeat((byte)i, 1 + i % 200).ToArray());
        var options = new CaptureReaderOptions { BufferSize = 400, MaxFrameLength = 300 };

        var (frames, error) = ReadFrames.From(writer.ToArray(), options: options);

        Assert.That(error, Is.Null);
        Assert.That(frames, Has.Count.EqualTo(500));
        for (int i = 0; i < 500; i++)
        {
            Assert.That(frames[i].Data, Has.Length.EqualTo(1 + i % 200));
            Assert.That(frames[i].Data, Is.All.EqualTo((byte)i));
        }
    }
}
