using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Flows;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Flows;

public class FlowTrackerTests
{
    private static string CorpusPcap(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "corpus", "pcaps", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(name);
    }

    private static (List<FlowRecord> Flows, ScanStats Stats) Scan(string file, ReassemblyOptions? options = null)
    {
        var flows = new List<FlowRecord>();
        var tracker = new FlowTracker(new ObservationList(), flows.Add);
        var stats = new ScanStats();
        new CaptureFileScanner(options).Scan(file, tracker.Wrap(new DefaultAnalyzerFactory(tracker, "t.pcap")), stats);
        return (flows, stats);
    }

    /// <summary>The flow's two ends, sorted: a connection picked up again after eviction may start from either side.</summary>
    private static string Pair(FlowRecord f)
    {
        string a = $"{f.ClientAddress}:{f.ClientPort}", b = $"{f.ServerAddress}:{f.ServerPort}";
        return string.CompareOrdinal(a, b) <= 0 ? $"{f.Summary.Protocol} {a} {b}" : $"{f.Summary.Protocol} {b} {a}";
    }

    [Test]
    public void Scan_FlowsEvictedEarly_AreEachReportedOnce()
    {
        var file = CorpusPcap("ts-legacy-sse.pcap");
        var normal = Scan(file);
        // Room for one flow: every new connection evicts the open one; its later packets open a new entry.
        var evicting = Scan(file, new ReassemblyOptions { MaxFlows = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(evicting.Stats.FlowEvictions, Is.GreaterThan(0));
            Assert.That(normal.Flows, Has.Count.EqualTo(normal.Stats.Flows));
            Assert.That(evicting.Flows, Has.Count.EqualTo(evicting.Stats.Flows), "one record per table entry");
            Assert.That(normal.Flows.Select(Pair), Is.Unique);
            Assert.That(evicting.Flows.Select(Pair).Distinct().Order(), Is.EqualTo(normal.Flows.Select(Pair).Order()));
            Assert.That(evicting.Flows.Sum(f => f.Summary.PacketsFromInitiator + f.Summary.PacketsFromResponder),
                Is.EqualTo(normal.Stats.Packets), "every packet counted in exactly one record");
        });
    }

    [Test]
    public void Scan_FlowsEvictedByTheMemoryBudget_AreEachReportedOnce()
    {
        var file = CorpusPcap("ts-legacy-sse.pcap");
        var normal = Scan(file);
        // A budget smaller than one flow: every other flow is evicted at each packet. Flooding the sensor must not
        // make flows vanish from the flow log (an attacker's connection hidden behind a burst of others).
        var evicting = Scan(file, new ReassemblyOptions { MemoryBudgetBytes = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(evicting.Stats.FlowEvictions, Is.GreaterThan(0));
            Assert.That(evicting.Flows, Has.Count.EqualTo(evicting.Stats.Flows), "one record per table entry");
            Assert.That(evicting.Flows.Select(Pair).Distinct().Order(), Is.EqualTo(normal.Flows.Select(Pair).Order()));
            Assert.That(evicting.Flows.Sum(f => f.Summary.PacketsFromInitiator + f.Summary.PacketsFromResponder),
                Is.EqualTo(normal.Stats.Packets), "every packet counted in exactly one record");
        });
    }

    [Test]
    public void Scan_KeepAliveConnectionWithANewHostPerRequest_KeepsABoundedNameSet()
    {
        // One connection, 2,000 requests, each naming another Host: the flow's names must not grow with the requests.
        var writer = new PcapWriter(LinkTypes.Ethernet);
        var c = new TcpConversation(clientPort: 40100, serverPort: 8080);
        var t = new DateTime(2025, 5, 1, 8, 0, 0, DateTimeKind.Utc);
        uint client = 101, server = 501;
        writer.Add(t, c.FromClient(100, "", TcpFlags.Syn)).Add(t, c.FromServer(500, "", TcpFlags.Syn | TcpFlags.Ack, 101));
        const int requests = 2_000;
        for (var i = 0; i < requests; i++)
        {
            var request = System.Text.Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: decoy-{i}.example\r\n\r\n");
            var response = "HTTP/1.1 204 No Content\r\n\r\n"u8.ToArray();
            writer.Add(t = t.AddMilliseconds(1), c.FromClient(client, request)).Add(t = t.AddMilliseconds(1), c.FromServer(server, response));
            client += (uint)request.Length;
            server += (uint)response.Length;
        }
        var path = Path.Combine(Path.GetTempPath(), $"shadowmcp-hosts-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(path, writer.ToArray());
        try
        {
            var flow = Scan(path).Flows.Single(f => f.ServerPort == 8080);

            Assert.That(flow.Facts.Names, Has.Count.EqualTo(FlowFacts.MaxNames));
            Assert.That(flow.Facts.Names, Does.Contain("decoy-0.example"), "the first names are the ones kept");
            Assert.That(flow.Facts.NamesDropped, Is.EqualTo(requests - FlowFacts.MaxNames));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Scan_DnsOverUdp_ClientIsTheSideNotOnPort53()
    {
        var (flows, _) = Scan(CorpusPcap("dns-mcp-and-other-names.pcap"));

        var udp = flows.Where(f => f.Summary.Protocol == "udp").ToList();
        Assert.That(udp, Is.Not.Empty);
        Assert.That(udp.Select(f => f.ServerPort), Is.All.EqualTo(53));
        Assert.That(udp.Select(f => f.Facts.Names.Count), Is.All.GreaterThan(0));
    }

    [Test]
    public void OnFlowEnd_ObservationsNamingEitherSideTheClient_FactsOfThatFlowOnly()
    {
        var flows = new List<FlowRecord>();
        var tracker = new FlowTracker(new ObservationList(), flows.Add);
        var t0 = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        Observation Dns(string client, int clientPort, string server, int serverPort, string name) => new()
        {
            Kind = ObservationKinds.Dns,
            Flow = new FlowRef(client, clientPort, server, serverPort, "udp"),
            Time = t0,
            Fields = new FieldBag().Add("name", name).Add("response", "false"),
            Source = "t",
        };
        // The flow table's initiator answered first (the capture began mid-exchange): the observation names the other side the client.
        tracker.Emit(Dns("10.0.0.7", 5353, "10.0.0.1", 53, "mine.example"));
        tracker.Emit(Dns("10.0.0.1", 53, "10.0.0.7", 5353, "also-mine.example"));
        // Same addresses, other ports or protocol: other flows.
        tracker.Emit(Dns("10.0.0.7", 5354, "10.0.0.1", 53, "other-port.example"));
        tracker.Emit(Dns("10.0.0.7", 53, "10.0.0.1", 5353, "crossed-ports.example"));

        tracker.OnFlowEnd(new FlowSummary("10.0.0.1", 53, "10.0.0.7", 5353, "udp", t0, t0, 1, 40, 1, 40));
        tracker.OnFlowEnd(new FlowSummary("10.0.0.1", 53, "10.0.0.7", 5353, "udp", t0, t0, 1, 40, 1, 40));

        Assert.That(flows, Has.Count.EqualTo(2));
        Assert.That(flows[0].Facts.Names, Is.EquivalentTo(new[] { "mine.example", "also-mine.example" }));
        Assert.That(flows[1].Facts.Names, Is.Empty, "the facts went with the first end");
    }
}
