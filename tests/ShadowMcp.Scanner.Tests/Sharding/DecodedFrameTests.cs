using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sharding;
using ShadowMcp.Scanner.Tests.Decode.Differential;

namespace ShadowMcp.Scanner.Tests.Sharding;

/// <summary>
/// The reader decodes each frame once and the owning worker rebuilds the packet from that decode: what it rebuilds
/// over the batch's copy of the frame is what decoding the copy would give, for every corpus frame and mutations of
/// them (malformed, fragments, cut short).
/// </summary>
public class DecodedFrameTests
{
    private static IEnumerable<(byte[] Frame, int LinkType, string What)> Frames()
    {
        var seeds = DifferentialFrames.CorpusFiles().SelectMany(DifferentialFrames.Read).ToList();
        return seeds.Select((f, i) => (f.Frame, f.LinkType, $"corpus frame {i}"))
            .Concat(DifferentialFrames.Mutated(seeds, 3000, seed: 1717));
    }

    [Test]
    public void ToPacket_OverACopyOfTheFrame_IsWhatDecodingTheCopyGives()
    {
        var checkedTransport = 0;
        foreach (var (frame, linkType, what) in Frames())
        {
            var fault = DecodedFrame.Decode(frame, linkType, out var decoded, out _);
            var copy = (byte[])frame.Clone();
            var status = PacketDecoder.Decode(copy, linkType, out var expected);

            Assert.That((decoded.Status, fault), Is.EqualTo((status, (Exception?)null)), what);
            if (status != DecodeStatus.Transport) continue;
            var rebuilt = decoded.ToPacket(copy);
            Assert.That(DecodedFields.From(copy, rebuilt), Is.EqualTo(DecodedFields.From(copy, expected)), what);
            Assert.That(rebuilt.IsFragment, Is.EqualTo(expected.IsFragment), what);
            checkedTransport++;
        }
        Assert.That(checkedTransport, Is.GreaterThan(1000));
    }
}
