using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Flows;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Reassembly;

/// <summary>
/// A connection that ended (FIN both ways, or RST) leaves the flow table after the close delay, not after the idle
/// timeout: on a busy link ended connections must not fill the table for minutes and push live ones out.
/// </summary>
public class EndedConnectionTests
{
    private const TcpFlags Syn = TcpFlags.Syn;
    private const TcpFlags SynAck = TcpFlags.Syn | TcpFlags.Ack;
    private const TcpFlags FinAck = TcpFlags.Fin | TcpFlags.Ack;

    private readonly List<FlowRecord> _ended = [];
    private Replay _replay = null!;

    [SetUp]
    public void Start()
    {
        _ended.Clear();
        var tracker = new FlowTracker(new ObservationList(), _ended.Add);
        _replay = new Replay(tracker.Wrap(new RecordingFactory()), new ReassemblyOptions
        {
            IdleTimeout = TimeSpan.FromMinutes(5),
            CloseDelay = TimeSpan.FromSeconds(5),
            UdpIdleTimeout = TimeSpan.FromMinutes(1),
        });
    }

    private static byte[][] Opened(TcpConversation c) =>
        [c.FromClient(100, "", Syn), c.FromServer(500, "", SynAck, 101), c.FromClient(101, "", TcpFlags.Ack, 501), c.FromClient(101, "ping")];

    private static byte[][] Finished(TcpConversation c) =>
        [c.FromClient(105, "", FinAck, 501), c.FromServer(501, "", FinAck, 106), c.FromClient(106, "", TcpFlags.Ack, 502)];

    [Test]
    public void EndedConnection_LeavesAfterCloseDelay_WhileIdleOpenFlowStays()
    {
        var ended = new TcpConversation(clientPort: 1);
        var open = new TcpConversation(clientPort: 2);
        var t0 = Replay.Start;
        _replay.At(t0, Opened(ended)).At(t0, Finished(ended)).At(t0, Opened(open));

        // A late retransmission inside the delay still belongs to the ended connection's line.
        _replay.At(t0.AddSeconds(3), ended.FromClient(106, "", TcpFlags.Ack, 502));
        Assert.That(_ended, Is.Empty);
        Assert.That(_replay.FlowCount, Is.EqualTo(2));

        _replay.At(t0.AddSeconds(8.5), open.FromClient(105, "more"));

        Assert.Multiple(() =>
        {
            Assert.That(_ended.Select(f => f.ClientPort), Is.EqualTo(new[] { 1 }), "the ended connection left, the open one stayed");
            Assert.That(_ended[0].PacketsToServer + _ended[0].PacketsToClient, Is.EqualTo(8), "seven packets and the late one");
            Assert.That(_ended[0].Summary.End, Is.EqualTo(t0.AddSeconds(3)));
            Assert.That(_replay.FlowCount, Is.EqualTo(1));
            Assert.That(_replay.Stats.Flows, Is.EqualTo(2));
            Assert.That(_replay.Stats.FlowEvictions, Is.Zero);
        });
    }

    [Test]
    public void ResetConnection_LeavesAfterCloseDelay()
    {
        var reset = new TcpConversation(clientPort: 3);
        var other = new TcpConversation(clientPort: 4);
        var t0 = Replay.Start;
        _replay.At(t0, Opened(reset)).At(t0, reset.FromServer(501, "", TcpFlags.Rst | TcpFlags.Ack, 105));
        _replay.At(t0.AddSeconds(4), Opened(other));
        Assert.That(_ended, Is.Empty, "inside the delay");

        _replay.At(t0.AddSeconds(6), other.FromClient(105, "x"));

        Assert.That(_ended.Select(f => f.ClientPort), Is.EqualTo(new[] { 3 }));
    }

    [Test]
    public void OpenFlow_StillWaitsForTheIdleTimeout()
    {
        var quiet = new TcpConversation(clientPort: 5);
        var busy = new TcpConversation(clientPort: 6);
        var t0 = Replay.Start;
        _replay.At(t0, Opened(quiet)).At(t0, Opened(busy));

        _replay.At(t0.AddMinutes(4), busy.FromClient(105, "a"));
        Assert.That(_ended, Is.Empty);
        _replay.At(t0.AddMinutes(5).AddSeconds(1), busy.FromClient(106, "b"));

        Assert.That(_ended.Select(f => f.ClientPort), Is.EqualTo(new[] { 5 }));
    }

    [Test]
    public void Finish_ReportsOpenAndEndedFlowsInTheOrderOfTheirLastPackets()
    {
        var first = new TcpConversation(clientPort: 7);
        var second = new TcpConversation(clientPort: 8);
        var third = new TcpConversation(clientPort: 9);
        var t0 = Replay.Start;
        // Same capture time for every packet: only the packet order can order them.
        _replay.At(t0, Opened(first)).At(t0, Opened(second)).At(t0, Finished(first)).At(t0, Opened(third)).At(t0, second.FromClient(105, "z"));

        _replay.Finish();

        Assert.That(_ended.Select(f => f.ClientPort), Is.EqualTo(new[] { 7, 9, 8 }));
    }

    [Test]
    public void ConnectionEndedByGivingUpItsHole_LeavesAfterCloseDelay()
    {
        // FIN both ways, but the client's last bytes wait behind a hole; the reassembly budget, full when another
        // flow needs room, makes it give the hole up: its stream then reaches the FIN and the connection has ended.
        var replay = new Replay(new FlowTracker(new ObservationList(), _ended.Add).Wrap(new RecordingFactory()), new ReassemblyOptions
        {
            MaxBufferedBytesTotal = PendingSegments.SegmentOverhead + 4,
            CloseDelay = TimeSpan.FromSeconds(5),
        });
        var held = new TcpConversation(clientPort: 11);
        var other = new TcpConversation(clientPort: 12);
        var closedLater = new TcpConversation(clientPort: 13);
        var t0 = Replay.Start;
        replay.At(t0, Opened(held)).At(t0, held.FromClient(109, "late", FinAck, 501), held.FromServer(501, "", FinAck, 105));
        replay.At(t0.AddSeconds(0.5), Opened(closedLater)).At(t0.AddSeconds(0.5), Finished(closedLater));
        replay.At(t0.AddSeconds(1), Opened(other)).At(t0.AddSeconds(1), other.FromClient(109, "hole"));
        Assert.That(replay.Stats.GapBytes, Is.EqualTo(4), "the held connection gave its hole up");

        replay.At(t0.AddSeconds(8), other.FromClient(113, "more"));

        Assert.That(_ended.Select(f => f.ClientPort), Is.EqualTo(new[] { 11, 13 }),
            "both left after the close delay, in the order of their last packets");
    }

    private static byte[] Datagram(ushort clientPort, ushort serverPort) =>
        Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.53", 17, Packet.Udp(clientPort, serverPort, new byte[40])));

    [Test]
    public void UdpFlow_LeavesAfterTheUdpTimeout_WhileAQuietTcpFlowStays()
    {
        var tcp = new TcpConversation(clientPort: 10);
        var t0 = Replay.Start;
        _replay.At(t0, Opened(tcp)).At(t0, Datagram(5353, 53));
        _replay.At(t0.AddSeconds(30), Datagram(5353, 53)); // the same flow: within the minute
        _replay.At(t0.AddSeconds(60), Datagram(6000, 53));
        Assert.That(_ended, Is.Empty);

        _replay.At(t0.AddSeconds(95), Datagram(6001, 53));

        Assert.Multiple(() =>
        {
            Assert.That(_ended.Select(f => f.ClientPort), Is.EqualTo(new[] { 5353 }), "a minute after its last datagram");
            Assert.That(_ended[0].PacketsToServer, Is.EqualTo(2));
            Assert.That(_replay.FlowCount, Is.EqualTo(3), "the TCP flow and the two later datagrams' flows");
        });
    }
}
