using System.Text;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Tests.Decode.Builders;

namespace ShadowMcp.Scanner.Tests.Decode;

public class PacketDecoderTests
{
    private static readonly byte[] Hello = "hello"u8.ToArray();
    private static byte[] TcpHello => Packet.Tcp(40000, 443, 1000, 2000, TcpFlags.Ack | TcpFlags.Psh, Hello);
    private static byte[] Ipv4Hello => Packet.Ipv4("192.0.2.1", "198.51.100.7", 6, TcpHello);
    private static byte[] Ipv6Hello => Packet.Ipv6("2001:db8::1", "2001:db8::2", 6, TcpHello);

    private sealed record Decoded(DecodeStatus Status, string Source, string Destination, int Protocol, int SourcePort,
        int DestinationPort, uint Sequence, uint Acknowledgment, TcpFlags Flags, string Payload, bool IsFragment);

    private static Decoded Decode(byte[] frame, int linkType)
    {
        var status = PacketDecoder.Decode(frame, linkType, out var p);
        return new Decoded(status, status == DecodeStatus.Transport ? p.Source.ToString() : "", status == DecodeStatus.Transport ? p.Destination.ToString() : "",
            p.Protocol, p.SourcePort, p.DestinationPort, p.Sequence, p.Acknowledgment, p.Flags, Encoding.ASCII.GetString(p.Payload), p.IsFragment);
    }

    private static void AssertIpv4Hello(Decoded d)
    {
        Assert.That(d.Status, Is.EqualTo(DecodeStatus.Transport));
        Assert.That((d.Source, d.SourcePort, d.Destination, d.DestinationPort), Is.EqualTo(("192.0.2.1", 40000, "198.51.100.7", 443)));
        Assert.That((d.Protocol, d.Sequence, d.Acknowledgment, d.Flags), Is.EqualTo((6, 1000u, 2000u, TcpFlags.Ack | TcpFlags.Psh)));
        Assert.That(d.Payload, Is.EqualTo("hello"));
        Assert.That(d.IsFragment, Is.False);
    }

    [Test]
    public void Decode_EthernetIpv4Tcp_ReturnsAddressesPortsSequenceAndPayload() =>
        AssertIpv4Hello(Decode(Packet.Ethernet(Ipv4Hello), LinkTypes.Ethernet));

    [Test]
    public void Decode_EthernetPadding_IsNotPartOfThePayload() =>
        AssertIpv4Hello(Decode(Packet.Ethernet(Ipv4Hello, padding: 12), LinkTypes.Ethernet));

    [TestCase((ushort)0x8100)]
    [TestCase((ushort)0x88A8, (ushort)0x8100)]
    [TestCase((ushort)0x9100, (ushort)0x8100)]
    [TestCase((ushort)0x88A8, (ushort)0x88A8, (ushort)0x8100)]
    public void Decode_VlanTags_AreSkipped(params ushort[] tags) =>
        AssertIpv4Hello(Decode(Packet.Ethernet(Ipv4Hello, vlanTags: tags), LinkTypes.Ethernet));

    [Test]
    public void Decode_LinuxSll_ReadsProtocolField() => AssertIpv4Hello(Decode(Packet.LinuxSll(Ipv4Hello), LinkTypes.LinuxSll));

    [Test]
    public void Decode_LinuxSll2_ReadsProtocolField() => AssertIpv4Hello(Decode(Packet.LinuxSll2(Ipv4Hello), LinkTypes.LinuxSll2));

    [TestCase(LinkTypes.Raw)]
    [TestCase(LinkTypes.RawBsd12)]
    [TestCase(LinkTypes.RawOpenBsd14)]
    [TestCase(LinkTypes.Ipv4)]
    public void Decode_RawIp_UsesVersionNibble(int linkType) => AssertIpv4Hello(Decode(Ipv4Hello, linkType));

    [TestCase(LinkTypes.Null, false)]
    [TestCase(LinkTypes.Null, true)]
    [TestCase(LinkTypes.Loop, true)]
    [TestCase(LinkTypes.Loop, false)]
    public void Decode_NullAndLoop_AcceptFamilyInEitherByteOrder(int linkType, bool bigEndian) =>
        AssertIpv4Hello(Decode(Packet.Null(Ipv4Hello, 2, bigEndian), linkType));

    [TestCase(24u)]
    [TestCase(28u)]
    [TestCase(30u)]
    public void Decode_NullWithIpv6Family_DecodesIpv6(uint family)
    {
        var d = Decode(Packet.Null(Ipv6Hello, family, bigEndian: false), LinkTypes.Null);

        Assert.That((d.Status, d.Source, d.Destination, d.Payload), Is.EqualTo((DecodeStatus.Transport, "2001:db8::1", "2001:db8::2", "hello")));
    }

    [Test]
    public void Decode_Ipv4WithOptions_SkipsThem()
    {
        var ip = Packet.Ipv4("192.0.2.1", "198.51.100.7", 6, TcpHello, options: [0x94, 0x04, 0, 0, 1, 1, 1, 0]);

        AssertIpv4Hello(Decode(Packet.Ethernet(ip), LinkTypes.Ethernet));
    }

    [Test]
    public void Decode_Ipv4TotalLengthBeyondCapture_KeepsTheCapturedPayload()
    {
        var ip = Packet.Ipv4("192.0.2.1", "198.51.100.7", 6, TcpHello);
        var cut = Packet.Ethernet(ip)[..^2]; // snap length cut "lo" off

        var d = Decode(cut, LinkTypes.Ethernet);

        Assert.That((d.Status, d.Payload), Is.EqualTo((DecodeStatus.Transport, "hel")));
    }

    [Test]
    public void Decode_Ipv4TotalLengthShorterThanHeader_IsMalformed()
    {
        var ip = Packet.Ipv4("192.0.2.1", "198.51.100.7", 6, TcpHello, totalLengthOverride: 12);

        Assert.That(Decode(Packet.Ethernet(ip), LinkTypes.Ethernet).Status, Is.EqualTo(DecodeStatus.Malformed));
    }

    [Test]
    public void Decode_Ipv4FirstFragmentWithWholeTcpHeader_DecodesAndFlagsFragment()
    {
        var ip = Packet.Ipv4("192.0.2.1", "198.51.100.7", 6, TcpHello, moreFragments: true);

        var d = Decode(Packet.Ethernet(ip), LinkTypes.Ethernet);

        Assert.That((d.Status, d.IsFragment, d.Payload), Is.EqualTo((DecodeStatus.Transport, true, "hello")));
    }

    [Test]
    public void Decode_Ipv4FirstFragmentWithCutTransportHeader_IsFragmentNotMalformed()
    {
        var ip = Packet.Ipv4("192.0.2.1", "198.51.100.7", 6, TcpHello[..8], moreFragments: true);

        Assert.That(Decode(Packet.Ethernet(ip), LinkTypes.Ethernet).Status, Is.EqualTo(DecodeStatus.Fragment));
    }

    [Test]
    public void Decode_Ipv4LaterFragment_IsFragment()
    {
        var ip = Packet.Ipv4("192.0.2.1", "198.51.100.7", 6, Hello, fragmentOffset: 185);

        Assert.That(Decode(Packet.Ethernet(ip), LinkTypes.Ethernet).Status, Is.EqualTo(DecodeStatus.Fragment));
    }

    [Test]
    public void Decode_Ipv6ExtensionHeaderChain_ReachesTcp()
    {
        byte[] chain = [.. Packet.Ipv6Extension(43), .. Packet.Ipv6Extension(60, units: 1), .. Packet.Ipv6Extension(51),
            .. Packet.Ipv6AuthenticationHeader(6), .. TcpHello];
        var ip = Packet.Ipv6("2001:db8::1", "2001:db8::2", 0, chain);

        var d = Decode(Packet.Ethernet(ip, Packet.EtherIpv6), LinkTypes.Ethernet);

        Assert.That((d.Status, d.Source, d.SourcePort, d.DestinationPort, d.Payload),
            Is.EqualTo((DecodeStatus.Transport, "2001:db8::1", 40000, 443, "hello")));
    }

    [Test]
    public void Decode_Ipv6FirstFragment_DecodesAndFlagsFragment()
    {
        var ip = Packet.Ipv6("2001:db8::1", "2001:db8::2", 44, [.. Packet.Ipv6Fragment(6, 0, more: true), .. TcpHello]);

        var d = Decode(Packet.Ethernet(ip, Packet.EtherIpv6), LinkTypes.Ethernet);

        Assert.That((d.Status, d.IsFragment, d.Payload), Is.EqualTo((DecodeStatus.Transport, true, "hello")));
    }

    [Test]
    public void Decode_Ipv6LaterFragment_IsFragment()
    {
        var ip = Packet.Ipv6("2001:db8::1", "2001:db8::2", 44, [.. Packet.Ipv6Fragment(6, 100, more: false), .. Hello]);

        Assert.That(Decode(Packet.Ethernet(ip, Packet.EtherIpv6), LinkTypes.Ethernet).Status, Is.EqualTo(DecodeStatus.Fragment));
    }

    [TestCase((byte)50)]
    [TestCase((byte)59)]
    [TestCase((byte)1)]
    public void Decode_Ipv6EspNoNextOrIcmp_IsIgnored(byte nextHeader)
    {
        var ip = Packet.Ipv6("2001:db8::1", "2001:db8::2", nextHeader, new byte[16]);

        Assert.That(Decode(Packet.Ethernet(ip, Packet.EtherIpv6), LinkTypes.Ethernet).Status, Is.EqualTo(DecodeStatus.Ignored));
    }

    [Test]
    public void Decode_Ipv6ExtensionHeaderRunningPastPacket_IsMalformed()
    {
        var ip = Packet.Ipv6("2001:db8::1", "2001:db8::2", 0, Packet.Ipv6Extension(6, units: 3)[..8]);

        Assert.That(Decode(Packet.Ethernet(ip, Packet.EtherIpv6), LinkTypes.Ethernet).Status, Is.EqualTo(DecodeStatus.Malformed));
    }

    [Test]
    public void Decode_Udp_PayloadFollowsUdpLengthNotPadding()
    {
        var udp = Packet.Udp(5353, 53, "query"u8.ToArray());
        var frame = Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.53", 17, udp), padding: 20);

        var d = Decode(frame, LinkTypes.Ethernet);

        Assert.That((d.Status, d.Protocol, d.SourcePort, d.DestinationPort, d.Payload), Is.EqualTo((DecodeStatus.Transport, 17, 5353, 53, "query")));
    }

    [Test]
    public void Decode_UdpLengthBelowHeader_IsMalformed()
    {
        var udp = Packet.Udp(1, 2, "x"u8.ToArray(), lengthOverride: 5);

        Assert.That(Decode(Packet.Ipv4("10.0.0.1", "10.0.0.2", 17, udp), LinkTypes.Raw).Status, Is.EqualTo(DecodeStatus.Malformed));
    }

    [Test]
    public void Decode_TcpDataOffsetBelowFive_IsMalformed()
    {
        var tcp = TcpHello;
        tcp[12] = 0x40;

        Assert.That(Decode(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp), LinkTypes.Raw).Status, Is.EqualTo(DecodeStatus.Malformed));
    }

    [Test]
    public void Decode_TcpOptions_AreSkipped()
    {
        var tcp = Packet.Tcp(1, 2, 3, 4, TcpFlags.Syn, Hello, options: [2, 4, 5, 0xB4, 1, 1, 4, 2]);

        Assert.That(Decode(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp), LinkTypes.Raw).Payload, Is.EqualTo("hello"));
    }

    [Test]
    public void Decode_Arp_IsIgnored() =>
        Assert.That(Decode(Packet.Ethernet(new byte[28], etherType: 0x0806), LinkTypes.Ethernet).Status, Is.EqualTo(DecodeStatus.Ignored));

    [Test]
    public void Decode_EveryPrefixOfAPacket_NeverThrows()
    {
        byte[][] frames =
        [
            Packet.Ethernet(Ipv4Hello, vlanTags: [0x8100]),
            Packet.Ethernet(Packet.Ipv6("2001:db8::1", "2001:db8::2", 0, [.. Packet.Ipv6Extension(44), .. Packet.Ipv6Fragment(17, 0, true), .. Packet.Udp(1, 2, Hello)]), Packet.EtherIpv6),
            Packet.LinuxSll2(Ipv4Hello),
        ];
        foreach (var frame in frames)
        {
            for (int length = 0; length <= frame.Length; length++)
            {
                var status = PacketDecoder.Decode(frame.AsSpan(0, length), LinkTypes.Ethernet, out _);
                Assert.That(status, Is.AnyOf(DecodeStatus.Transport, DecodeStatus.Malformed, DecodeStatus.Fragment, DecodeStatus.Ignored));
            }
        }
    }

    [Test]
    public void Decode_RandomGarbage_NeverThrowsOnAnyLinkType()
    {
        var random = new Random(20250314);
        int[] linkTypes = [LinkTypes.Ethernet, LinkTypes.LinuxSll, LinkTypes.LinuxSll2, LinkTypes.Raw, LinkTypes.Null, LinkTypes.Loop];
        var buffer = new byte[200];
        int transport = 0;
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            // Steer some frames into the IP decoders so their checks get exercised, not just the link layer's.
            if (i % 2 == 0) buffer[0] = (byte)(i % 4 == 0 ? 0x45 : 0x60);
            var frame = buffer.AsSpan(0, random.Next(buffer.Length));
            if (PacketDecoder.Decode(frame, linkTypes[i % linkTypes.Length], out var packet) == DecodeStatus.Transport)
            {
                transport++;
                Assert.That(packet.Payload.Length, Is.LessThanOrEqualTo(frame.Length));
            }
        }

        Assert.That(transport, Is.GreaterThan(0));
    }
}
