using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Tests.Decode.Builders;

namespace ShadowMcp.Scanner.Tests.Decode.Differential;

/// <summary>The packets both decoders are fed: the corpus captures, hand-built edge cases, and seeded mutations.</summary>
internal static class DifferentialFrames
{
    public static string CorpusRoot { get; } = FindCorpus();

    /// <summary>Every capture under tests/corpus (the SDK captures, the TLS and the shape corpora).</summary>
    public static IEnumerable<string> CorpusFiles() =>
        Directory.EnumerateFiles(CorpusRoot, "*.pcap*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(CorpusRoot, f))
            .Order(StringComparer.Ordinal);

    public static List<(byte[] Frame, int LinkType)> Read(string relativePath)
    {
        var frames = new List<(byte[], int)>();
        using var stream = File.OpenRead(Path.Combine(CorpusRoot, relativePath));
        var reader = CaptureReader.Open(stream, relativePath);
        while (reader.TryReadFrame(out var frame)) frames.Add((frame.Data.ToArray(), frame.LinkType));
        return frames;
    }

    /// <summary>Well-formed packets at the edges the corpus rarely shows; each must decode the same on both sides.</summary>
    public static IEnumerable<TestCaseData> Generated()
    {
        byte[] text = "POST /mcp HTTP/1.1\r\n\r\n"u8.ToArray();
        byte[] big = [.. Enumerable.Range(0, 1400).Select(i => (byte)i)];
        var tcp = Packet.Tcp(40000, 443, 1, 2, TcpFlags.Ack | TcpFlags.Psh, text);
        yield return Case("ipv4 tcp", Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp)));
        yield return Case("ipv6 tcp", Packet.Ethernet(Packet.Ipv6("2001:db8::1", "2001:db8::2", 6, tcp), Packet.EtherIpv6));
        yield return Case("ipv4 options", Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp,
            options: [1, 1, 1, 0])));
        yield return Case("tcp options", Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6,
            Packet.Tcp(1, 2, 3, 4, TcpFlags.Syn, options: [2, 4, 5, 180, 1, 3, 3, 7]))));
        yield return Case("ethernet padding", Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6,
            Packet.Tcp(1, 2, 3, 4, TcpFlags.Ack)), padding: 6));
        yield return Case("qinq", Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp), vlanTags: [0x88A8, 0x8100]));
        yield return Case("vlan", Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp), vlanTags: [0x8100]));
        yield return Case("linux sll", Packet.LinuxSll(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp)), LinkTypes.LinuxSll);
        yield return Case("raw ipv4", Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp), LinkTypes.Raw);
        yield return Case("big payload", Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6,
            Packet.Tcp(65535, 1, uint.MaxValue, uint.MaxValue, TcpFlags.Ack, big))));
        yield return Case("every flag", Packet.Ethernet(Packet.Ipv4("192.168.1.1", "192.168.1.2", 6,
            Packet.Tcp(0, 65535, 0, 0, DecodedFields.KnownFlags))));
        yield return Case("rst no payload", Packet.Ethernet(Packet.Ipv6("::1", "fe80::1", 6,
            Packet.Tcp(8080, 51000, 0x80000000, 7, TcpFlags.Rst | TcpFlags.Ack)), Packet.EtherIpv6));
        yield return Case("udp dns", Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.53", 17,
            Packet.Udp(5353, 53, [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]))));
        yield return Case("udp ipv6 empty", Packet.Ethernet(Packet.Ipv6("2001:db8::1", "2001:db8::2", 17,
            Packet.Udp(1, 2, [])), Packet.EtherIpv6));
    }

    private static TestCaseData Case(string name, byte[] frame, int linkType = LinkTypes.Ethernet) =>
        new TestCaseData(frame, linkType).SetArgDisplayNames(name);

    /// <summary>
    /// Corpus frames with one of: a byte flipped anywhere, the frame cut short, or a header field rewritten.
    /// Seeded, so a failure names a frame that can be rebuilt.
    /// </summary>
    public static IEnumerable<(byte[] Frame, int LinkType, string What)> Mutated(
        IReadOnlyList<(byte[] Frame, int LinkType)> seeds, int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var (original, linkType) = seeds[random.Next(seeds.Count)];
            var frame = (byte[])original.Clone();
            var at = random.Next(frame.Length);
            switch (random.Next(3))
            {
                case 0:
                    frame[at] ^= (byte)(1 << random.Next(8));
                    yield return (frame, linkType, $"mutation {i}: bit flipped at {at}");
                    break;
                case 1:
                    yield return (frame[..at], linkType, $"mutation {i}: cut to {at} bytes");
                    break;
                default:
                    frame[at] = (byte)random.Next(256);
                    yield return (frame, linkType, $"mutation {i}: byte {at} set to {frame[at]}");
                    break;
            }
        }
    }

    private static string FindCorpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "corpus");
            if (Directory.Exists(Path.Combine(candidate, "pcaps"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/corpus not found above " + AppContext.BaseDirectory);
    }
}
