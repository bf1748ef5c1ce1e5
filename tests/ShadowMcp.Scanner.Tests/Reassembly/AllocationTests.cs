using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Reassembly;

/// <summary>Uninteresting traffic must cost a header parse and a lookup, not garbage per packet.</summary>
public class AllocationTests
{
    private const int Flows = 64;
    private const int Rounds = 2_000;

    private static List<byte[]> BulkFrames()
    {
        var frames = new List<byte[]>(Flows * 2);
        var payload = new byte[1400];
        for (int f = 0; f < Flows; f++)
        {
            var conversation = new TcpConversation(clientPort: (ushort)(20000 + f), server: f % 2 == 0 ? "10.0.0.2" : "2001:db8::2",
                client: f % 2 == 0 ? "10.0.0.1" : "2001:db8::1");
            frames.Add(conversation.FromClient(1, payload));
            frames.Add(conversation.FromServer(1, payload));
        }

        return frames;
    }

    [Test]
    public void OnFrame_UninterestingFlows_AllocateAlmostNothingPerPacket()
    {
        var frames = BulkFrames();
        var processor = new PacketProcessor(new NullFactory(), new ScanStats());
        var time = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var frame in frames) processor.OnFrame(frame, LinkTypes.Ethernet, time); // creates the flows

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < Rounds; round++)
        {
            time = time.AddMilliseconds(1);
            foreach (var frame in frames) processor.OnFrame(frame, LinkTypes.Ethernet, time);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        double perPacket = (double)allocated / (Rounds * frames.Count);
        Assert.That(perPacket, Is.LessThan(0.1), $"{allocated} bytes for {Rounds * frames.Count} packets");
    }

    [Test]
    public void TryReadFrame_PcapFileLoop_AllocatesAlmostNothingPerPacket()
    {
        var writer = new PcapWriter(LinkTypes.Ethernet);
        var time = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var frames = BulkFrames();
        for (int round = 0; round < 200; round++)
            foreach (var frame in frames) writer.Add(time = time.AddMicroseconds(10), frame);
        var bytes = writer.ToArray();
        var processor = new PacketProcessor(new NullFactory(), new ScanStats());
        // Best of three passes: a one-time lazy allocation elsewhere in the runtime (tiering, statics) is not per packet.
        long allocated = long.MaxValue;
        int packets = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            var reader = CaptureReader.Open(new MemoryStream(bytes), "bulk.pcap", new CaptureReaderOptions { BufferSize = 64 * 1024, MaxFrameLength = 16 * 1024 });
            for (int i = 0; i < frames.Count && reader.TryReadFrame(out var warm); i++) processor.OnFrame(warm.Data, warm.LinkType, warm.Time);

            long before = GC.GetAllocatedBytesForCurrentThread();
            packets = 0;
            while (reader.TryReadFrame(out var frame))
            {
                processor.OnFrame(frame.Data, frame.LinkType, frame.Time);
                packets++;
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(packets, Is.EqualTo(199 * frames.Count));
        Assert.That((double)allocated / packets, Is.LessThan(0.1), $"{allocated} bytes for {packets} packets");
    }
}
