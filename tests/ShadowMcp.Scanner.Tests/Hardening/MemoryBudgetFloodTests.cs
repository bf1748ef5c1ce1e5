using System.Net;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Decode.Builders;

namespace ShadowMcp.Scanner.Tests.Hardening;

/// <summary>
/// One million half-open connections (a partial TLS ClientHello or a partial `POST /mcp` head each, the cheapest way
/// to make a sensor hold state) with a real MCP session from the corpus in the middle: the scan stays inside its
/// memory budget by its own accounting, evicts the flood by reason, and still finds the session.
/// </summary>
public class MemoryBudgetFloodTests
{
    // CI runs 100 k flows against a budget scaled down to match (the flood is still 100 times what fits); the 1 M
    // run against the default budget is the same test with SHADOWMCP_FLOOD_FLOWS=1000000 (docs/sensor-hardening.md).
    private static readonly int FloodFlows =
        int.TryParse(Environment.GetEnvironmentVariable("SHADOWMCP_FLOOD_FLOWS"), out var n) && n > 0 ? n : 100_000;
    private static readonly DateTime T0 = new(2025, 5, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly IPAddress FloodServer = IPAddress.Parse("10.200.0.1");

    /// <summary>The first 71 bytes of a ClientHello whose record claims 512 bytes: the analyzer must wait for more.</summary>
    private static readonly byte[] PartialClientHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01,
        0xfc, 0x03, 0x03, .. Enumerable.Repeat((byte)0x42, 60)];

    private static readonly byte[] PartialPost = "POST /mcp HTTP/1.1\r\nHost: flood\r\nContent-Type: application/json\r\n"u8.ToArray();

    private sealed class KeepMcp : IObservationSink
    {
        public List<Observation> Kept { get; } = [];

        public void Emit(Observation observation)
        {
            if (observation.Fields.Get("method") is not null || observation.Fields.Get("result.serverInfo.name") is not null)
                Kept.Add(observation);
        }
    }

    private static string CorpusPcap(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "corpus", "pcaps", name);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"corpus capture {name} not found");
    }

    private static IEnumerable<(DateTime, byte[])> Flood(List<FrameCopy> session)
    {
        // Frames are built once per kind and then only get a new client address and port: the decoder does not check
        // checksums (captures often carry offloaded ones), and building a million frames from scratch is slow.
        var tlsTemplate = new TcpConversation("10.1.0.0", 20000, FloodServer.ToString(), 443);
        var httpTemplate = new TcpConversation("10.1.0.0", 20000, FloodServer.ToString(), 80);
        byte[][] tlsFrames = [tlsTemplate.FromClient(1000, "", TcpFlags.Syn), tlsTemplate.FromClient(1001, PartialClientHello)];
        byte[][] httpFrames = [httpTemplate.FromClient(1000, "", TcpFlags.Syn), httpTemplate.FromClient(1001, PartialPost)];
        var sessionStart = session[0].Time;
        for (int i = 0; i < FloodFlows; i++)
        {
            if (i == FloodFlows / 2)
                foreach (var frame in session)
                    yield return (T0.AddSeconds(1) + (frame.Time - sessionStart), frame.Data);

            var time = T0.AddTicks(i * 10L);
            foreach (var template in i % 2 == 0 ? tlsFrames : httpFrames)
                yield return (time, WithClient(template, i));
        }
    }

    /// <summary>Ethernet + IPv4 + TCP: the client is 10.x.y.z from the flow number, its port cycles.</summary>
    private static byte[] WithClient(byte[] template, int flow)
    {
        var frame = (byte[])template.Clone();
        frame[14 + 12 + 1] = (byte)(1 + (flow >> 16));
        frame[14 + 12 + 2] = (byte)(flow >> 8);
        frame[14 + 12 + 3] = (byte)flow;
        ushort port = (ushort)(20000 + flow % 40000);
        frame[14 + 20] = (byte)(port >> 8);
        frame[14 + 20 + 1] = (byte)port;
        return frame;
    }

    [Test]
    public void MillionHalfOpenFlows_StayInsideTheBudget_AndTheMcpSessionIsFound()
    {
        var (session, error) = ReadFrames.From(File.ReadAllBytes(CorpusPcap("cs-stateful-2025-06-18.pcap")));
        Assert.That(error, Is.Null);
        var options = FloodFlows >= 1_000_000 ? new ReassemblyOptions() : new ReassemblyOptions { MemoryBudgetBytes = 8L << 20 };
        var sink = new KeepMcp();
        var stats = new ScanStats();

        using var stream = new GeneratedCaptureStream(LinkTypes.Ethernet, Flood(session));
        var result = new CaptureFileScanner(options).Scan(stream, "flood.pcap", new DefaultAnalyzerFactory(sink, "flood.pcap"), stats);

        TestContext.Out.WriteLine($"peak accounted {stats.MemoryPeakBytes:N0} B of {options.MemoryBudgetBytes:N0}; evicted "
            + $"half-open {stats.EvictedHalfOpen:N0}, one-way {stats.EvictedOneWay:N0}, two-way {stats.EvictedTwoWay:N0}, "
            + $"stateless {stats.EvictedStateless:N0}; process peak working set {Environment.WorkingSet:N0} B");
        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(stats.Flows, Is.GreaterThanOrEqualTo(FloodFlows));
        Assert.That(stats.MemoryPeakBytes, Is.InRange(1, options.MemoryBudgetBytes));
        Assert.That(stats.EvictedHalfOpen, Is.GreaterThan(FloodFlows / 2), "the flood is what gets evicted");
        Assert.That(stats.EvictedTwoWay, Is.Zero, "a conversation is never evicted while half-open flows are there");
        Assert.That(sink.Kept.Any(o => o.Fields.Get("method") == "initialize" && o.Flow.Server != FloodServer.ToString()), Is.True);
        Assert.That(sink.Kept.Any(o => o.Fields.Get("method") == "tools/list"), Is.True);
    }
}
