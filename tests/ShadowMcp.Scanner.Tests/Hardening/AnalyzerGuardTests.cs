using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Decode.Builders;

namespace ShadowMcp.Scanner.Tests.Hardening;

/// <summary>
/// Whatever an analyzer throws on network bytes (a bug not found yet) becomes a named anomaly with its flow and
/// stream offset; that flow stops being analyzed and every other flow still is.
/// </summary>
public class AnalyzerGuardTests
{
    private static readonly DateTime T0 = new(2025, 5, 1, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>Throws when it sees the byte 0xFF, in data, gaps or close, as a parser bug would.</summary>
    private sealed class TrippingAnalyzer(string where) : ITcpStreamAnalyzer
    {
        public long Bytes;
        public bool Closed;
        public bool WantsMoreData => true;

        public void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time)
        {
            if (where == "data" && data.Contains((byte)'!')) throw new InvalidOperationException("parser bug");
            Bytes += data.Length;
        }

        public void OnGap(bool fromInitiator, long missingBytes, DateTime time)
        {
            if (where == "gap") throw new ArgumentException("gap bug");
        }

        public void OnClose(DateTime time)
        {
            if (where == "close") throw new IndexOutOfRangeException("close bug");
            Closed = true;
        }
    }

    private sealed class TrippingFactory(string where) : IAnalyzerFactory, IDatagramAnalyzer
    {
        public List<(FlowEndpoints Endpoints, TrippingAnalyzer Analyzer)> Created { get; } = [];
        public int Datagrams;

        public ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload)
        {
            if (where == "create" && firstPayload.Contains((byte)'!')) throw new FormatException("factory bug");
            var analyzer = new TrippingAnalyzer(where);
            Created.Add((endpoints, analyzer));
            return analyzer;
        }

        public IDatagramAnalyzer? ForUdp(int sourcePort, int destinationPort) => this;

        public void OnDatagram(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> payload, DateTime time)
        {
            if (payload.Contains((byte)'!')) throw new NullReferenceException("datagram bug");
            Datagrams++;
        }
    }

    private static byte[] TwoFlows(string hostile)
    {
        var writer = new PcapWriter(LinkTypes.Ethernet);
        var bad = new TcpConversation(clientPort: 41000, serverPort: 7000);
        var good = new TcpConversation(clientPort: 41001, serverPort: 7001);
        writer.Add(T0, bad.FromClient(100, "", TcpFlags.Syn))
            .Add(T0.AddMilliseconds(1), bad.FromClient(101, "hello "))
            .Add(T0.AddMilliseconds(2), good.FromClient(100, "", TcpFlags.Syn))
            .Add(T0.AddMilliseconds(3), bad.FromClient(107, hostile))
            // A segment after a hole, so the flow reports a gap; then more data on the bad flow after the fault.
            .Add(T0.AddMilliseconds(4), bad.FromClient(500, "later"))
            .Add(T0.AddMilliseconds(5), good.FromClient(101, "fine data"));
        return writer.ToArray();
    }

    private static (ScanResult Result, ScanStats Stats, TrippingFactory Factory) Scan(string where, string hostile)
    {
        var factory = new TrippingFactory(where);
        var stats = new ScanStats();
        var result = new CaptureFileScanner().Scan(new MemoryStream(TwoFlows(hostile)), "guard.pcap", factory, stats);
        return (result, stats, factory);
    }

    [Test]
    public void OnDataThrows_FlowIsDroppedAndNamedWithItsOffset_OtherFlowGoesOn()
    {
        var (result, stats, factory) = Scan("data", "evil!");

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(stats.AnalyzerFaults, Is.EqualTo(1));
        var anomaly = stats.Anomalies.Single();
        Assert.That(anomaly.Name, Is.EqualTo("TrippingAnalyzer.OnData:InvalidOperationException"));
        Assert.That(anomaly.Flow, Is.EqualTo("10.0.0.1:41000 -> 10.0.0.2:7000/tcp"));
        Assert.That(anomaly.Offset, Is.EqualTo(6), "the hostile chunk starts after 'hello '");
        Assert.That(anomaly.Time, Is.EqualTo(T0.AddMilliseconds(3)));
        var bad = factory.Created.Single(c => c.Endpoints.ResponderPort == 7000).Analyzer;
        var good = factory.Created.Single(c => c.Endpoints.ResponderPort == 7001).Analyzer;
        Assert.That(bad.Closed, Is.False, "a faulted analyzer gets no more calls");
        Assert.That((good.Bytes, good.Closed), Is.EqualTo((9L, true)));
    }

    [TestCase("gap", "ArgumentException")]
    [TestCase("close", "IndexOutOfRangeException")]
    public void GapOrCloseThrows_IsCountedAndTheScanCompletes(string where, string exception)
    {
        var (result, stats, factory) = Scan(where, "evil!");

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(stats.Anomalies.Select(a => a.Name), Has.Some.EqualTo($"TrippingAnalyzer.On{char.ToUpperInvariant(where[0])}{where[1..]}:{exception}"));
        Assert.That(factory.Created, Has.Count.EqualTo(2));
    }

    [Test]
    public void FactoryThrows_FlowIsPassiveAndOtherFlowIsAnalyzed()
    {
        var factory = new TrippingFactory("create");
        var stats = new ScanStats();
        var writer = new PcapWriter(LinkTypes.Ethernet);
        var bad = new TcpConversation(clientPort: 41000, serverPort: 7000);
        var good = new TcpConversation(clientPort: 41001, serverPort: 7001);
        writer.Add(T0, bad.FromClient(100, "!boom")).Add(T0.AddMilliseconds(1), bad.FromClient(105, "more"))
            .Add(T0.AddMilliseconds(2), good.FromClient(100, "fine"));

        var result = new CaptureFileScanner().Scan(new MemoryStream(writer.ToArray()), "guard.pcap", factory, stats);

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(stats.Anomalies.Single().Name, Is.EqualTo("AnalyzerFactory.CreateTcp:FormatException"));
        Assert.That(factory.Created.Single().Endpoints.ResponderPort, Is.EqualTo(7001));
    }

    [Test]
    public void DatagramAnalyzerThrows_IsCountedAndLaterDatagramsAreRead()
    {
        var factory = new TrippingFactory("none");
        var stats = new ScanStats();
        var writer = new PcapWriter(LinkTypes.Ethernet);
        byte[] Udp(string payload) => Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.53", 17,
            Packet.Udp(5353, 53, System.Text.Encoding.ASCII.GetBytes(payload))));
        writer.Add(T0, Udp("bad!")).Add(T0.AddMilliseconds(1), Udp("good"));

        var result = new CaptureFileScanner().Scan(new MemoryStream(writer.ToArray()), "guard.pcap", factory, stats);

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(stats.Anomalies.Single().ToString(),
            Is.EqualTo("TrippingFactory.OnDatagram:NullReferenceException on 10.0.0.1:5353 -> 10.0.0.53:53/udp"));
        Assert.That(factory.Datagrams, Is.EqualTo(1));
    }
}
