using ShadowMcp.Scanner.Decode;

namespace ShadowMcp.Scanner.Tests.Decode.Differential;

/// <summary>
/// The project's decoder against PacketDotNet, an independent implementation, on the same bytes: every TCP or UDP
/// packet must give the same addresses, ports, sequence numbers, flags and payload bounds. Real captures must decode
/// on both sides; on mutated bytes the decoders may disagree about whether a packet is usable, but never about the
/// fields of one both accept.
/// </summary>
public sealed class PacketDecoderDifferentialTests
{
    private static IEnumerable<string> Corpus() => DifferentialFrames.CorpusFiles();

    [TestCaseSource(nameof(Corpus))]
    public void CorpusCapture_EveryTransportPacket_MatchesPacketDotNet(string capture)
    {
        var frames = DifferentialFrames.Read(capture);
        var compared = 0;
        foreach (var (frame, linkType) in frames)
        {
            var status = PacketDecoder.Decode(frame, linkType, out var packet);
            if (status != DecodeStatus.Transport || packet.IsFragment) continue;
            var ours = DecodedFields.From(frame, packet);
            Assert.That(ReferenceDecoder.Decode(frame, linkType), Is.EqualTo(ours), $"frame {compared} of {capture}");
            compared++;
        }
        Assert.That(compared, Is.GreaterThan(0), "a capture with no TCP or UDP packet compares nothing");
    }

    [TestCaseSource(typeof(DifferentialFrames), nameof(DifferentialFrames.Generated))]
    public void GeneratedPacket_MatchesPacketDotNet(byte[] frame, int linkType)
    {
        Assert.That(PacketDecoder.Decode(frame, linkType, out var packet), Is.EqualTo(DecodeStatus.Transport));
        var ours = DecodedFields.From(frame, packet);

        Assert.That(ReferenceDecoder.Decode(frame, linkType), Is.EqualTo(ours));
    }

    [Test]
    public void MutatedCorpusPackets_WhenBothDecode_AgreeOnEveryField()
    {
        var seeds = DifferentialFrames.CorpusFiles().Take(12).SelectMany(DifferentialFrames.Read).ToList();
        int both = 0, onlyOurs = 0, onlyReference = 0;
        foreach (var (frame, linkType, what) in DifferentialFrames.Mutated(seeds, count: 20_000, seed: 20))
        {
            var status = PacketDecoder.Decode(frame, linkType, out var packet);
            var ours = status == DecodeStatus.Transport && !packet.IsFragment ? DecodedFields.From(frame, packet) : null;
            var reference = ReferenceDecoder.Decode(frame, linkType);
            if (ours is null && reference is null) continue;
            if (ours is null) { onlyReference++; continue; }
            if (reference is null) { onlyOurs++; continue; }
            Assert.That(ours, Is.EqualTo(reference), what);
            both++;
        }
        TestContext.Out.WriteLine($"both decoded {both}, only ours {onlyOurs}, only PacketDotNet {onlyReference}");
        Assert.That(both, Is.GreaterThan(10_000), "most mutations leave a packet both decoders accept");
    }
}
