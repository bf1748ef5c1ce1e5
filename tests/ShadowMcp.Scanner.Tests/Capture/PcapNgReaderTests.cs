using System.Buffers.Binary;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Tests.Capture.Writers;

namespace ShadowMcp.Scanner.Tests.Capture;

public class PcapNgReaderTests
{
    private const ulong Seconds = 1_700_000_000;
    private static readonly DateTime At = DateTime.UnixEpoch.AddSeconds(Seconds);

    [TestCase(false)]
    [TestCase(true)]
    public void TryReadFrame_EitherByteOrder_SkipsOtherBlocksAndReadsPackets(bool bigEndian)
    {
        var writer = new PcapNgWriter(bigEndian)
            .Interface(LinkTypes.Ethernet)
            .SkippableBlocks()
            .EnhancedPacket(0, Seconds * 1_000_000 + 250_000, [1, 2, 3, 4, 5], originalLength: 60)
            .SkippableBlocks()
            .EnhancedPacket(0, Seconds * 1_000_000 + 250_001, [6]);

        var (frames, error) = ReadFrames.From(writer.ToArray(), "x.pcapng");

        Assert.That(error, Is.Null);
        Assert.That(frames, Has.Count.EqualTo(2));
        Assert.That(frames[0].Data, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
        Assert.That(frames[0].OriginalLength, Is.EqualTo(60));
        Assert.That(frames[0].Time, Is.EqualTo(At.AddMilliseconds(250)));
        Assert.That(frames[0].Offset, Is.EqualTo(writer.PacketOffsets[0]));
        Assert.That(frames[1].Data, Is.EqualTo(new byte[] { 6 }));
        Assert.That(frames[1].Time, Is.EqualTo(At.AddTicks(2_500_010)));
    }

    [Test]
    public void TryReadFrame_InterfacesWithDifferentLinkTypesAndResolutions_UsesEachInterface()
    {
        var writer = new PcapNgWriter()
            .Interface(LinkTypes.Ethernet)                                         // µs (default)
            .Interface(LinkTypes.Raw, timestampResolution: 9)                      // ns
            .Interface(LinkTypes.LinuxSll, timestampResolution: 0x80 | 20)         // 2^-20 s
            .Interface(LinkTypes.Null, timestampOffset: 1_600_000_000)             // µs + offset
            .Interface(LinkTypes.LinuxSll2, timestampResolution: 3)                // ms
            .EnhancedPacket(0, Seconds * 1_000_000 + 1, [0])
            .EnhancedPacket(1, Seconds * 1_000_000_000 + 123_456_789, [1])
            .EnhancedPacket(2, (Seconds << 20) + (1 << 19), [2])
            .EnhancedPacket(3, 5_000_000, [3])
            .EnhancedPacket(4, Seconds * 1000 + 7, [4]);

        var (frames, error) = ReadFrames.From(writer.ToArray());

        Assert.That(error, Is.Null);
        Assert.That(frames.Select(f => f.LinkType),
            Is.EqualTo(new[] { LinkTypes.Ethernet, LinkTypes.Raw, LinkTypes.LinuxSll, LinkTypes.Null, LinkTypes.LinuxSll2 }));
        Assert.That(frames.Select(f => f.InterfaceId), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(frames[0].Time, Is.EqualTo(At.AddTicks(10)));
        Assert.That(frames[1].Time, Is.EqualTo(At.AddTicks(1_234_567)));
        Assert.That(frames[2].Time, Is.EqualTo(At.AddMilliseconds(500)));
        Assert.That(frames[3].Time, Is.EqualTo(DateTime.UnixEpoch.AddSeconds(1_600_000_005)));
        Assert.That(frames[4].Time, Is.EqualTo(At.AddMilliseconds(7)));
    }

    [Test]
    public void TryReadFrame_SimplePacketBlock_UsesInterfaceZeroAndItsSnapLength()
    {
        var writer = new PcapNgWriter()
            .Interface(LinkTypes.Raw, snapLength: 4)
            .EnhancedPacket(0, Seconds * 1_000_000, [1, 2])
            .SimplePacket([1, 2, 3, 4, 5, 6, 7, 8]);

        var (frames, error) = ReadFrames.From(writer.ToArray());

        Assert.That(error, Is.Null);
        Assert.That(frames[1].Data, Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(frames[1].OriginalLength, Is.EqualTo(8));
        Assert.That(frames[1].LinkType, Is.EqualTo(LinkTypes.Raw));
        Assert.That(frames[1].Time, Is.EqualTo(frames[0].Time), "a simple packet has no timestamp: the previous one is kept");
    }

    [Test]
    public void TryReadFrame_NewSectionMidFile_ResetsInterfacesAndByteOrder()
    {
        var writer = new PcapNgWriter()
            .Interface(LinkTypes.Ethernet)
            .Interface(LinkTypes.Raw)
            .EnhancedPacket(1, 0, [1])
            .SectionHeader(bigEndian: true)
            .Interface(LinkTypes.LinuxSll)
            .EnhancedPacket(0, 0, [2])
            .EnhancedPacket(1, 0, [3]);

        var (frames, error) = ReadFrames.From(writer.ToArray(), "two-sections.pcapng");

        Assert.That(frames.Select(f => f.LinkType), Is.EqualTo(new[] { LinkTypes.Raw, LinkTypes.LinuxSll }));
        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.Corrupt));
        Assert.That(error.Offset, Is.EqualTo(writer.PacketOffsets[2]));
        Assert.That(error.Message, Does.Contain("interface 1"));
    }

    [Test]
    public void Open_InterfaceWithUnsupportedLinkType_FailsAtThatInterfaceBlock()
    {
        var writer = new PcapNgWriter().Interface(LinkTypes.Ethernet).Interface(linkType: 189).EnhancedPacket(0, 0, [1]);

        var (frames, error) = ReadFrames.From(writer.ToArray(), "mixed.pcapng");

        Assert.That(frames, Is.Empty);
        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.UnsupportedLinkType));
        Assert.That(error.Offset, Is.EqualTo(writer.BlockOffsets[2]));
        Assert.That(error.Message, Does.Contain("mixed.pcapng").And.Contain("link type 189"));
    }

    [Test]
    public void TryReadFrame_BlockLengthNotMultipleOfFour_FailsAsCorruptAtBlock()
    {
        var writer = new PcapNgWriter().Interface(LinkTypes.Ethernet).EnhancedPacket(0, 0, [1]).RawBlock(0x7777, [1, 2, 3, 4, 5]);

        var (frames, error) = ReadFrames.From(writer.ToArray());

        Assert.That(frames, Has.Count.EqualTo(1));
        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.Corrupt));
        Assert.That(error.Offset, Is.EqualTo(writer.BlockOffsets[^1]));
        Assert.That(error.Message, Does.Contain("invalid length 17"));
    }

    [Test]
    public void TryReadFrame_TrailingLengthDiffers_FailsAsCorrupt()
    {
        var writer = new PcapNgWriter().Interface(LinkTypes.Ethernet).EnhancedPacket(0, 0, [1, 2, 3, 4]);
        var file = writer.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), 999);

        var (_, error) = ReadFrames.From(file);

        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.Corrupt));
        Assert.That(error.Offset, Is.EqualTo(writer.PacketOffsets[0]));
    }

    [Test]
    public void TryReadFrame_CapturedLengthBeyondBlock_FailsAsCorrupt()
    {
        var writer = new PcapNgWriter().Interface(LinkTypes.Ethernet).EnhancedPacket(0, 0, [1, 2, 3, 4], capturedLengthOverride: 200);

        var (_, error) = ReadFrames.From(writer.ToArray());

        Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.Corrupt));
        Assert.That(error.Message, Does.Contain("200 captured bytes"));
    }

    [Test]
    public void TryReadFrame_EveryTruncationPrefix_DeliversCompleteFramesThenReportsTheCutBlock()
    {
        var writer = new PcapNgWriter(bigEndian: true)
            .Interface(LinkTypes.Ethernet)
            .EnhancedPacket(0, 1, [0, 0, 0])
            .SkippableBlocks()
            .EnhancedPacket(0, 2, [1, 1, 1, 1, 1])
            .SimplePacket([2, 2])
            .Interface(LinkTypes.Raw)
            .EnhancedPacket(1, 3, [3]);
        var file = writer.ToArray();
        var boundaries = writer.BlockOffsets.Skip(1).Append(file.Length).ToHashSet();
        var packetEnds = writer.PacketOffsets.Select(o => writer.BlockOffsets.Append(file.Length).First(b => b > o)).ToList();

        for (int length = 1; length <= file.Length; length++)
        {
            var (frames, error) = ReadFrames.From(file[..length], "cut.pcapng");

            int complete = packetEnds.Count(end => end <= length);
            Assert.That(frames, Has.Count.EqualTo(complete), $"prefix {length}");
            for (int i = 0; i < complete; i++) Assert.That(frames[i].Data[0], Is.EqualTo((byte)i), $"prefix {length}");
            if (boundaries.Contains(length))
            {
                Assert.That(error, Is.Null, $"prefix {length}");
                continue;
            }

            Assert.That(error, Is.Not.Null, $"prefix {length}");
            Assert.That(error!.Kind, Is.EqualTo(CaptureErrorKind.Truncated), $"prefix {length}: {error.Message}");
            Assert.That(error.Offset, Is.EqualTo(writer.BlockOffsets.Last(o => o < length)), $"prefix {length}");
        }
    }
}
