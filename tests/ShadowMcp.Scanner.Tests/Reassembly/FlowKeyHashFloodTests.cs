using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Tests.Reassembly;

/// <summary>
/// Review: the flow index chains flows by their key's hash. Whoever sends the packets picks the addresses; if many
/// keys can be made to share one hash, every lookup walks one long chain (a CPU flood on the sensor). An IPv6 sender
/// owning a /64 picks the low 64 bits of its address freely.
/// </summary>
public class FlowKeyHashFloodTests
{
    [Test]
    public void Ipv6KeysFromOneSenderPrefix_DoNotShareAHash()
    {
        // Interface ids whose two 32-bit halves are equal: a hash that folds the 64 bits by XOR sees 0 for all.
        var hashes = Enumerable.Range(1, 1000).Select(i =>
        {
            var id = $"{i:x4}:0:{i:x4}:0";
            var packet = new DecodedPacket
            {
                Source = IpAddress.Parse($"2001:db8:1:2:{id}"),
                Destination = IpAddress.Parse("2001:db8::9"),
                Protocol = DecodedPacket.Tcp,
                SourcePort = 40000,
                DestinationPort = 443,
            };
            return FlowKey.Create(packet, out _).GetHashCode();
        }).Distinct().Count();

        Assert.That(hashes, Is.GreaterThan(990), "1000 different flows should land in (nearly) 1000 different hashes");
    }
}
