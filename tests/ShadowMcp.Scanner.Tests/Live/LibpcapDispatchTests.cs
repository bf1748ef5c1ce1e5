using System.Text;
using SharpPcap;
using SharpPcap.LibPcap;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Live;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Live;

/// <summary>
/// The live sensor's in-place read path (<c>pcap_dispatch</c>) run over a libpcap savefile handle: it delivers the
/// same bytes, in the same order, with the same timestamps as the project's own capture reader, and it allocates
/// nothing per packet.
/// </summary>
public sealed class LibpcapDispatchTests
{
    private const int Packets = 20 * 105;
    private string _path = null!;
    private static readonly DateTime Start = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    [SetUp]
    public void SetUp()
    {
        // Fresh per test: one file per fixture would be written before libpcap is known to load.
        _path = Path.Combine(Path.GetTempPath(), $"dispatch-{Guid.NewGuid():N}.pcap");
        var writer = new PcapWriter(LinkTypes.Ethernet);
        var time = Start;
        for (var f = 0; f < 20; f++)
        {
            var c = new TcpConversation(clientPort: (ushort)(30000 + f), server: f % 2 == 0 ? "10.1.0.2" : "2001:db8::2",
                client: f % 2 == 0 ? "10.1.0.1" : "2001:db8::1");
            writer.Add(time = time.AddMicroseconds(137), c.FromClient(0, "", TcpFlags.Syn));
            writer.Add(time = time.AddMicroseconds(137), c.FromServer(0, "", TcpFlags.Syn | TcpFlags.Ack, 1));
            writer.Add(time = time.AddMicroseconds(137), c.FromClient(1, "", TcpFlags.Ack, 1));
            for (var i = 0; i < 50; i++)
            {
                writer.Add(time = time.AddMicroseconds(311), c.FromClient((uint)(1 + i * 40), Encoding.ASCII.GetBytes($"req {f}:{i} ".PadRight(40, '.'))));
                writer.Add(time = time.AddMicroseconds(59), c.FromServer((uint)(1 + i * 40), Encoding.ASCII.GetBytes($"res {f}:{i} ".PadRight(40, '.'))));
            }
            writer.Add(time = time.AddMicroseconds(211), c.FromClient(1 + 50 * 40, "", TcpFlags.Fin | TcpFlags.Ack));
            writer.Add(time = time.AddMicroseconds(211), c.FromServer(1 + 50 * 40, "", TcpFlags.Fin | TcpFlags.Ack));
        }
        File.WriteAllBytes(_path, writer.ToArray());
    }

    [TearDown]
    public void TearDown() => File.Delete(_path);

    [Test]
    public void DeliversWhatTheFileReaderDelivers_ByteForByte_WithTheSameTimes()
    {
        var viaReader = new RecordingFactory();
        var readerStats = new ScanStats();
        var processor = new PacketProcessor(viaReader, readerStats);
        using (var stream = File.OpenRead(_path))
        {
            var reader = CaptureReader.Open(stream, _path, new CaptureReaderOptions());
            while (reader.TryReadFrame(out var frame)) processor.OnFrame(frame.Data, frame.LinkType, frame.Time);
        }
        processor.Finish();

        var viaDispatch = new RecordingFactory();
        var dispatchStats = new ScanStats();
        ReadWithDispatch(viaDispatch, dispatchStats, measure: false);

        Assert.That(dispatchStats.Packets, Is.EqualTo(readerStats.Packets).And.EqualTo(Packets));
        Assert.That(dispatchStats.Bytes, Is.EqualTo(readerStats.Bytes));
        Assert.That(viaDispatch.Created, Has.Count.EqualTo(20));
        for (var i = 0; i < 20; i++)
        {
            Assert.That(viaDispatch.Created[i].Events, Is.EqualTo(viaReader.Created[i].Events));
            Assert.That(viaDispatch.Created[i].ClosedAt, Is.EqualTo(viaReader.Created[i].ClosedAt), "timestamps to the microsecond");
        }
    }

    [Test]
    public void AllocatesNothingPerPacket()
    {
        // Uninteresting flows (no analyzer): what is left is the read path itself.
        var allocated = ReadWithDispatch(new NullFactory(), new ScanStats(), measure: true);
        Assert.That((double)allocated / (Packets), Is.LessThan(1.0), $"{allocated} bytes for {Packets} packets");
    }

    /// <returns>Bytes allocated on this thread while reading (after the first read warmed the path).</returns>
    private long ReadWithDispatch(Sessions.IAnalyzerFactory factory, ScanStats stats, bool measure)
    {
        using var device = new CaptureFileReaderDevice(_path);
        device.Open(new DeviceConfiguration());
        var processor = new PacketProcessor(factory, stats);
        using var dispatch = LibpcapDispatch.TryOpen(device, processor, (int)device.LinkType);
        Assert.That(dispatch, Is.Not.Null, "pcap_dispatch is available on 64-bit Linux");
        // A savefile hands over a buffer's worth per call; the first call also warms the path (JIT, statics).
        var total = dispatch!.ReadReady();
        var before = GC.GetAllocatedBytesForCurrentThread();
        int n;
        while ((n = dispatch.ReadReady()) > 0) total += n;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        processor.Finish();
        Assert.That(total, Is.EqualTo(Packets));
        return measure ? allocated : 0;
    }
}
