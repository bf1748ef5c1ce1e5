using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Tests.Capture;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Reassembly;

/// <summary>Randomised segment orders, duplicates and losses: what is delivered must sit at the right stream offsets.</summary>
public class ReassemblyPropertyTests
{
    private static byte[] Text(int length, Random random)
    {
        var text = new byte[length];
        for (int i = 0; i < length; i++) text[i] = (byte)('a' + random.Next(26));
        return text;
    }

    /// <summary>Segments covering the text, with retransmissions that overlap, locally shuffled, some lost.</summary>
    private static List<(int Offset, int Length)> Segments(int total, Random random, double lossRate)
    {
        var segments = new List<(int, int)>();
        for (int offset = 0; offset < total;)
        {
            int length = Math.Min(random.Next(1, 120), total - offset);
            if (random.NextDouble() >= lossRate) segments.Add((offset, length));
            if (random.NextDouble() < 0.1)
            {
                int start = Math.Max(0, offset - random.Next(50));
                segments.Add((start, Math.Min(length + 60, total - start)));
            }

            offset += length;
        }

        for (int i = 0; i < segments.Count; i++)
        {
            int j = Math.Min(segments.Count - 1, i + random.Next(8));
            (segments[i], segments[j]) = (segments[j], segments[i]);
        }

        return segments;
    }

    private static void AssertEventsMatch(RecordingAnalyzer analyzer, byte[] text, bool expectWhole)
    {
        long position = 0;
        foreach (var e in analyzer.Events)
        {
            if (e.StartsWith("data>:", StringComparison.Ordinal))
            {
                var data = e[6..];
                Assert.That(data, Is.EqualTo(Encoding.ASCII.GetString(text, (int)position, data.Length)), $"at offset {position}");
                position += data.Length;
            }
            else if (e.StartsWith("gap>:", StringComparison.Ordinal))
            {
                Assert.That(expectWhole, Is.False, "no gap expected");
                position += long.Parse(e[5..]);
            }
        }

        Assert.That(position, Is.LessThanOrEqualTo(text.Length));
        if (expectWhole) Assert.That(analyzer.InitiatorBytes, Is.EqualTo(text));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void OnFrame_ShuffledSegmentsWithoutLoss_ReassembleExactly(int seed)
    {
        var random = new Random(seed);
        var text = Text(20_000, random);
        var c = new TcpConversation();
        var factory = new RecordingFactory();
        uint isn = (uint)random.Next() | 0xFFFF0000; // close to wrapping
        var replay = new Replay(factory).Feed(c.FromClient(isn, "", TcpFlags.Syn));
        foreach (var (offset, length) in Segments(text.Length, random, lossRate: 0))
            replay.Feed(c.FromClient(unchecked(isn + 1 + (uint)offset), text.AsSpan(offset, length).ToArray()));
        replay.Finish();

        AssertEventsMatch(factory.Single, text, expectWhole: true);
    }

    [TestCase(11)]
    [TestCase(12)]
    [TestCase(13)]
    public void OnFrame_LossesUnderTightBudget_DeliverBytesAtTheirStreamOffsets(int seed)
    {
        var random = new Random(seed);
        var text = Text(20_000, random);
        var c = new TcpConversation();
        var factory = new RecordingFactory();
        var options = new ReassemblyOptions { MaxBufferedBytesPerFlow = 2_000 };
        var replay = new Replay(factory, options).Feed(c.FromClient(7, "", TcpFlags.Syn));
        foreach (var (offset, length) in Segments(text.Length, random, lossRate: 0.05))
            replay.Feed(c.FromClient(8 + (uint)offset, text.AsSpan(offset, length).ToArray()));
        replay.Finish();

        AssertEventsMatch(factory.Single, text, expectWhole: false);
        Assert.That(factory.Single.GapFromInitiator, Is.EqualTo(replay.Stats.GapBytes));
        Assert.That(replay.Stats.GapBytes, Is.GreaterThan(0));
    }

    [TestCase("loopback.pcap")]
    [TestCase("merged.pcapng")]
    public void Scan_RandomlyCorruptedRealCapture_NeverThrows(string name)
    {
        var original = File.ReadAllBytes(TestCaptures.Path(name));
        var random = new Random(name.Length);
        for (int round = 0; round < 300; round++)
        {
            var mutant = (byte[])original.Clone();
            for (int flips = random.Next(1, 20); flips > 0; flips--) mutant[random.Next(mutant.Length)] = (byte)random.Next(256);
            var factory = new RecordingFactory();

            var result = new CaptureFileScanner().Scan(new MemoryStream(mutant), name, factory, new ScanStats());

            Assert.That(result.Status, Is.Not.EqualTo(ScanStatus.Canceled));
            Assert.That(factory.Created.Select(a => a.CloseCount), Is.All.EqualTo(1), $"round {round}");
        }
    }
}
