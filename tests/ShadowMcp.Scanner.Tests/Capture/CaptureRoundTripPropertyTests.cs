using System.Numerics;
using CsCheck;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Properties;

namespace ShadowMcp.Scanner.Tests.Capture;

/// <summary>
/// Files written by the test writers read back frame for frame: bytes, link type, time, original length and
/// offset, in either byte order and timestamp unit, with a read buffer small enough that records straddle refills.
/// </summary>
public class CaptureRoundTripPropertyTests
{
    private const int MaxFrame = 3000;

    private static readonly int[] LinkTypeChoices =
        [LinkTypes.Ethernet, LinkTypes.Raw, LinkTypes.LinuxSll, LinkTypes.Null, LinkTypes.LinuxSll2];

    /// <summary>MaxFrameLength at its floor above the frames, and a buffer just past the minimum it allows.</summary>
    private static readonly Gen<CaptureReaderOptions> Options = Gen.Int[0, 4000].Select(extra =>
        new CaptureReaderOptions { MaxFrameLength = MaxFrame, BufferSize = MaxFrame + 64 + extra });

    private static readonly Gen<(byte[] Data, int Padding)> Frame =
        Gen.Select(Gen.Frequency((4, Gen.Byte.Array[0, 200]), (1, Gen.Byte.Array[0, MaxFrame])), Gen.Int[0, 1]);

    [Test]
    public void Pcap_ReadsBackWhatWasWritten()
    {
        var gen = Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, LinkTypeChoices.Length - 1],
            Gen.Select(Frame, Gen.Long[0, 4_000_000_000L * TimeSpan.TicksPerSecond]).Array[0, 30], Options);
        gen.Sample((bigEndian, nanoseconds, link, records, options) =>
        {
            int linkType = LinkTypeChoices[link];
            var writer = new PcapWriter(linkType, bigEndian, nanoseconds);
            var expected = new List<FrameCopy>();
            foreach (var ((data, padding), ticks) in records)
            {
                // Microsecond files hold whole microseconds (10 ticks); nanosecond files hold every tick.
                var time = DateTime.UnixEpoch.AddTicks(nanoseconds ? ticks : ticks / 10 * 10);
                int original = data.Length + padding * 1000;
                writer.Add(time, data, original);
                expected.Add(new FrameCopy(data, linkType, time, original, writer.RecordOffsets[^1], 0));
            }

            var (frames, error) = ReadFrames.From(writer.ToArray(), options: options);
            Assert.That(error, Is.Null);
            AssertSame(frames, expected);
        }, iter: Splits.Iterations, threads: 1);
    }

    /// <summary>if_tsresol choices: default (µs), ns, and 2^-20 s.</summary>
    private static readonly (byte? Code, BigInteger PerSecond)[] Resolutions =
        [(null, 1_000_000), (9, 1_000_000_000), (0x80 | 20, 1 << 20)];

    private static readonly Gen<(int Link, int Resolution, long OffsetSeconds)> Interface =
        Gen.Select(Gen.Int[0, LinkTypeChoices.Length - 1], Gen.Int[0, Resolutions.Length - 1],
            Gen.Frequency((3, Gen.Const(0L)), (1, Gen.Long[0, 1_000_000])));

    /// <summary>Frame, interface, seconds, fraction of a second, and block kind (0: Simple Packet Block, 1: skippable
    /// blocks before an Enhanced Packet Block, else an Enhanced Packet Block alone).</summary>
    private static readonly Gen<((byte[] Data, int Padding), int Interface, long Seconds, double Fraction, int Kind)>
        Packet = Gen.Select(Frame, Gen.Int[0, 7], Gen.Long[0, 4_000_000_000L], Gen.Double[0, 1], Gen.Int[0, 5]);

    [Test]
    public void PcapNg_ReadsBackWhatWasWritten()
    {
        var gen = Gen.Select(Gen.Bool, Interface.Array[1, 3], Packet.Array[0, 30], Options);
        gen.Sample((bigEndian, interfaces, packets, options) =>
        {
            var writer = new PcapNgWriter(bigEndian);
            foreach (var (link, resolution, offsetSeconds) in interfaces)
                writer.Interface(LinkTypeChoices[link], timestampResolution: Resolutions[resolution].Code,
                    timestampOffset: offsetSeconds);

            var expected = new List<FrameCopy>();
            var lastTime = DateTime.UnixEpoch;
            foreach (var ((data, padding), pick, seconds, fraction, kind) in packets)
            {
                if (kind == 0)
                {
                    // A Simple Packet Block: interface 0, no timestamp (the reader repeats the last one).
                    writer.SimplePacket(data);
                    expected.Add(new FrameCopy(data, LinkTypeChoices[interfaces[0].Link], lastTime, data.Length,
                        writer.PacketOffsets[^1], 0));
                    continue;
                }
                if (kind == 1) writer.SkippableBlocks();
                int id = pick % interfaces.Length;
                var (link, resolution, offsetSeconds) = interfaces[id];
                var perSecond = Resolutions[resolution].PerSecond;
                var units = seconds * perSecond + (BigInteger)(fraction * (double)perSecond) % perSecond;
                long ticks = (long)(units * TimeSpan.TicksPerSecond / perSecond)
                    + offsetSeconds * TimeSpan.TicksPerSecond;
                lastTime = DateTime.UnixEpoch.AddTicks(ticks);
                int original = data.Length + padding * 1000;
                writer.EnhancedPacket(id, (ulong)units, data, original);
                int linkType = LinkTypeChoices[link];
                expected.Add(new FrameCopy(data, linkType, lastTime, original, writer.PacketOffsets[^1], id));
            }

            var (frames, error) = ReadFrames.From(writer.ToArray(), "test.pcapng", options);
            Assert.That(error, Is.Null);
            AssertSame(frames, expected);
        }, iter: Splits.Iterations, threads: 1);
    }

    private static (int, DateTime, int, long, int) Fields(FrameCopy f) =>
        (f.LinkType, f.Time, f.OriginalLength, f.Offset, f.InterfaceId);

    private static void AssertSame(List<FrameCopy> frames, List<FrameCopy> expected)
    {
        Assert.That(frames, Has.Count.EqualTo(expected.Count));
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.That(frames[i].Data, Is.EqualTo(expected[i].Data), $"frame {i} bytes");
            Assert.That(Fields(frames[i]), Is.EqualTo(Fields(expected[i])), $"frame {i}");
        }
    }
}
