using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sharding;
using ShadowMcp.Scanner.Tests.Decode.Builders;

namespace ShadowMcp.Scanner.Tests.Sharding;

public class FlowShardHashTests
{
    private static byte[] Tcp4(string from, ushort fromPort, string to, ushort toPort) =>
        Packet.Ethernet(Packet.Ipv4(from, to, 6, Packet.Tcp(fromPort, toPort, 1, 0, TcpFlags.Syn, [])));

    private static byte[] Tcp6(string from, ushort fromPort, string to, ushort toPort) =>
        Packet.Ethernet(Packet.Ipv6(from, to, 6, Packet.Tcp(fromPort, toPort, 1, 0, TcpFlags.Syn, [])), Packet.EtherIpv6);

    private static byte[] Udp4(string from, ushort fromPort, string to, ushort toPort) =>
        Packet.Ethernet(Packet.Ipv4(from, to, 17, Packet.Udp(fromPort, toPort, [1, 2, 3])));

    private static (int Owner, bool Ticks) Route(byte[] frame, int shards)
    {
        int owner = ShardFeed.Route(frame, 1, shards, out var decoded, out _);
        return (owner, decoded.ReachesFlows);
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(8)]
    public void Route_BothDirectionsOfAFlow_LandOnOneShard(int shards)
    {
        for (ushort port = 1000; port < 1200; port++)
        {
            var there = Route(Tcp4("10.0.0.7", port, "10.0.0.5", 8123), shards);
            var back = Route(Tcp4("10.0.0.5", 8123, "10.0.0.7", port), shards);
            var there6 = Route(Tcp6("fd00::7", port, "fd00::5:1", 443), shards);
            var back6 = Route(Tcp6("fd00::5:1", 443, "fd00::7", port), shards);
            var query = Route(Udp4("10.0.0.7", port, "10.0.0.53", 53), shards);
            var answer = Route(Udp4("10.0.0.53", 53, "10.0.0.7", port), shards);
            Assert.That((back, back6, answer), Is.EqualTo((there, there6, query)), $"port {port}");
            Assert.That(there.Owner, Is.InRange(0, shards - 1));
            Assert.That(there.Ticks && there6.Ticks && query.Ticks, Is.True);
        }
    }

    [Test]
    public void Route_ManyFlows_UseEveryShard()
    {
        var owners = new HashSet<int>();
        for (ushort port = 40000; port < 40064; port++)
        {
            owners.Add(Route(Tcp4("10.0.0.7", port, "10.0.0.5", 80), 4).Owner);
            owners.Add(Route(Tcp6("fd00::7", port, "fd00::5", 80), 4).Owner);
        }
        Assert.That(owners, Is.EquivalentTo(new[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void Route_SameTupleOtherProtocolOrAddressFamily_IsItsOwnFlow()
    {
        // Not required to differ, but the hash must at least read protocol and both address halves.
        var shards = Enumerable.Range(0, 64).Select(i =>
        {
            var p = (ushort)(2000 + i);
            return (Route(Tcp4("10.0.0.7", p, "10.0.0.5", 53), 16).Owner, Route(Udp4("10.0.0.7", p, "10.0.0.5", 53), 16).Owner);
        }).ToList();
        Assert.That(shards.Count(s => s.Item1 != s.Item2), Is.GreaterThan(0));
    }

    [Test]
    public void Route_NotAFlowPacket_GoesToShardZeroWithoutTicking()
    {
        Assert.That(Route([1, 2, 3], 4), Is.EqualTo((0, false)));
        var fragment = Packet.Ethernet(Packet.Ipv4("10.0.0.7", "10.0.0.5", 17, Packet.Udp(5000, 53, [1, 2]), fragmentOffset: 8));
        Assert.That(Route(fragment, 4).Ticks, Is.False);
    }
}
