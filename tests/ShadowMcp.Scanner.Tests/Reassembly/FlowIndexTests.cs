using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Tests.Reassembly;

/// <summary>The flow table's index finds every flow it holds, through growth and removal, and no other.</summary>
public class FlowIndexTests
{
    [Test]
    public void Index_FindsExactlyTheFlowsItHolds_ThroughGrowthAndRemoval()
    {
        var index = new FlowIndex();
        var flows = Enumerable.Range(0, 5000).Select(Flow).ToList();
        foreach (var flow in flows) index.Add(flow);
        foreach (var flow in flows.Where((_, i) => i % 3 == 0)) index.Remove(flow);

        Assert.That(index.Count, Is.EqualTo(5000 - 1667));
        for (int i = 0; i < flows.Count; i++)
        {
            var found = index.Find(Key(i));
            if (i % 3 == 0) Assert.That(found, Is.Null, $"flow {i} was removed");
            else Assert.That(found, Is.SameAs(flows[i]), $"flow {i}");
        }
        Assert.That(index.Find(Key(5000)), Is.Null, "never added");

        // A flow whose key comes back after its entry left (a new connection on the same 5-tuple) is the new entry.
        var again = Flow(0);
        index.Add(again);
        Assert.That(index.Find(Key(0)), Is.SameAs(again));
    }

    private static UdpFlow Flow(int i) => new(Key(i), initiatorIsLow: true);

    private static FlowKey Key(int i)
    {
        var packet = new DecodedPacket
        {
            Source = IpAddress.Parse($"10.0.{i / 250}.{i % 250 + 1}"),
            Destination = IpAddress.Parse("10.9.9.9"),
            Protocol = DecodedPacket.Udp,
            SourcePort = (ushort)(40000 + i % 7),
            DestinationPort = 53,
        };
        return FlowKey.Create(packet, out _);
    }
}
