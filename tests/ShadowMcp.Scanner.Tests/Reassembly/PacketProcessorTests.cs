using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Reassembly;

public class PacketProcessorTests
{
    private static byte[] UdpFrame(string source, ushort sourcePort, string destination, ushort destinationPort, string payload) =>
        Packet.Ethernet(Packet.Ipv4(source, destination, 17, Packet.Udp(sourcePort, destinationPort, System.Text.Encoding.ASCII.GetBytes(payload))));

    [Test]
    public void OnFrame_UdpExchange_SharesOneEndpointsObjectAndKnowsTheDirection()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(
            UdpFrame("10.0.0.1", 5353, "10.0.0.53", 53, "query"),
            UdpFrame("10.0.0.53", 53, "10.0.0.1", 5353, "answer"),
            UdpFrame("10.0.0.1", 5353, "10.0.0.53", 53, "again"));

        Assert.That(factory.Datagrams.Select(d => (System.Text.Encoding.ASCII.GetString(d.Payload), d.FromInitiator)),
            Is.EqualTo(new[] { ("query", true), ("answer", false), ("again", true) }));
        Assert.That(factory.Datagrams.Select(d => d.Endpoints).Distinct().Count(), Is.EqualTo(1));
        var endpoints = factory.Datagrams[0].Endpoints;
        Assert.That((endpoints.Initiator, endpoints.InitiatorPort, endpoints.Responder, endpoints.ResponderPort, endpoints.Protocol),
            Is.EqualTo(("10.0.0.1", 5353, "10.0.0.53", 53, "udp")));
        Assert.That(factory.Datagrams[1].Time, Is.EqualTo(Replay.Start.AddMilliseconds(2)));
        Assert.That(replay.Stats.Flows, Is.EqualTo(1));
    }

    [Test]
    public void OnFrame_UdpFactoryDeclines_NothingDelivered()
    {
        var factory = new RecordingFactory { AcceptUdp = false };
        var replay = new Replay(factory).Feed(UdpFrame("10.0.0.1", 1, "10.0.0.2", 2, "x"));

        Assert.That(factory.Datagrams, Is.Empty);
        Assert.That(replay.Stats.Packets, Is.EqualTo(1));
    }

    [Test]
    public void OnFrame_GarbageAndShortFrames_AreCountedMalformedAndScanContinues()
    {
        var factory = new RecordingFactory();
        var conversation = new TcpConversation();
        var replay = new Replay(factory).Feed(
            [1, 2, 3],
            Packet.Ethernet([0x45, 0, 0]),
            Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, new byte[25]).Select((b, i) => i == 32 ? (byte)0x10 : b).ToArray()),
            conversation.FromClient(1, "still works"));
        replay.Finish();

        Assert.That(replay.Stats.Malformed, Is.EqualTo(3));
        Assert.That(replay.Stats.Packets, Is.EqualTo(4));
        Assert.That(factory.Single.InitiatorText, Is.EqualTo("still works"));
    }

    [Test]
    public void OnFrame_Ipv4Fragments_AreCountedAndDoNotBreakTheFlow()
    {
        var factory = new RecordingFactory();
        var tcp = Packet.Tcp(40000, 80, 101, 0, TcpFlags.Ack, "fragmented-start"u8.ToArray());
        var udp = Packet.Udp(5000, 53, new byte[40]);
        var replay = new Replay(factory).Feed(
            new TcpConversation().FromClient(100, "", TcpFlags.Syn),
            Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp, moreFragments: true)),
            Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, new byte[64], fragmentOffset: 5)),
            Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.53", 17, udp[..16], moreFragments: true)),
            Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.53", 17, udp[..4], moreFragments: true)));
        replay.Finish();

        Assert.That(replay.Stats.Fragments, Is.EqualTo(4));
        Assert.That(replay.Stats.Malformed, Is.Zero);
        Assert.That(factory.Single.InitiatorText, Is.EqualTo("fragmented-start"));
        Assert.That(factory.Datagrams, Is.Empty, "an incomplete UDP datagram is not handed to analyzers");
    }

    [Test]
    public void OnFrame_PacketsAndBytes_AreCounted()
    {
        var replay = new Replay(new NullFactory());
        var frame = new TcpConversation().FromClient(1, "abc");
        replay.Feed(frame, frame, frame);

        Assert.That(replay.Stats.Packets, Is.EqualTo(3));
        Assert.That(replay.Stats.Bytes, Is.EqualTo(3L * frame.Length));
    }
}
