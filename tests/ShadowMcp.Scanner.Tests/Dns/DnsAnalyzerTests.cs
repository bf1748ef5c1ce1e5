using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Dns;

public class DnsAnalyzerTests
{
    private static readonly FlowEndpoints Udp = new("10.0.0.7", 40000, "10.0.0.53", 53, "udp");

    private const int QuestionOffset = 12;

    private static byte[] Query(string name, int type = 1) =>
        DnsBytes.Header(0x1234, 0x0100, 1, 0).Name(name).U16(type).U16(1).ToArray();

    /// <summary>mcp.Example.com CNAME edge.example.net (compressed), edge A 203.0.113.9 and AAAA, HTTPS and TXT.</summary>
    private static byte[] Response()
    {
        var m = DnsBytes.Header(0x1234, 0x8180, 1, 5).Name("mcp.Example.com").U16(1).U16(1);
        int cnameData = m.Position + 12;
        m.Answer(b => b.Pointer(QuestionOffset), 5, DnsBytes.NameData("edge.example.net"));
        m.Answer(b => b.Pointer(cnameData), 1, [203, 0, 113, 9]);
        m.Answer(b => b.Pointer(cnameData), 28, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        m.Answer(b => b.Pointer(QuestionOffset), 65, [0, 1, .. DnsBytes.NameData("svc.example.org"), 0, 1, 0, 3, 2, (byte)'h', (byte)'2']);
        m.Answer(b => b.Pointer(QuestionOffset), 16, [5, (byte)'v', (byte)'=', (byte)'m', (byte)'c', (byte)'p', 2, (byte)' ', (byte)'1']);
        return m.ToArray();
    }

    private static (ObservationList Sink, DefaultAnalyzerFactory Factory) Create()
    {
        var sink = new ObservationList();
        return (sink, new DefaultAnalyzerFactory(sink, "dns.pcap"));
    }

    [Test]
    public void OnDatagram_Query_EmitsNameTypeAndTheSenderAsClient()
    {
        var (sink, factory) = Create();
        factory.ForUdp(40000, 53)!.OnDatagram(Udp, true, Query("MCP.Example.COM.", 65), StreamHarness.T0);

        var dns = sink.Items.Single();
        Assert.Multiple(() =>
        {
            Assert.That(dns.Kind, Is.EqualTo(ObservationKinds.Dns));
            Assert.That(dns.Fields.Get("name"), Is.EqualTo("mcp.example.com"));
            Assert.That(dns.Fields.Get("type"), Is.EqualTo("HTTPS"));
            Assert.That(dns.Fields.Get("response"), Is.EqualTo("false"));
            Assert.That(dns.Fields.Has("rcode"), Is.False);
            Assert.That(dns.Flow, Is.EqualTo(new FlowRef("10.0.0.7", 40000, "10.0.0.53", 53, "udp")));
        });
    }

    [Test]
    public void OnDatagram_ResponseWithCompression_ListsAnswersAndKeepsTheQuerierAsClient()
    {
        var (sink, factory) = Create();
        // The response travels from the server; the flow was first seen from the server here.
        var seenFromServer = new FlowEndpoints("10.0.0.53", 53, "10.0.0.7", 40000, "udp");
        factory.ForUdp(53, 40000)!.OnDatagram(seenFromServer, true, Response(), StreamHarness.T0);

        var fields = sink.Items.Single().Fields;
        Assert.Multiple(() =>
        {
            Assert.That(fields.Get("response"), Is.EqualTo("true"));
            Assert.That(fields.Get("rcode"), Is.EqualTo("NOERROR"));
            Assert.That(fields.Get("type"), Is.EqualTo("A"));
            Assert.That(fields.GetAll("answer"), Is.EqualTo(new[]
                { "edge.example.net", "203.0.113.9", "2001:db8::1", "svc.example.org", "v=mcp 1" }));
            Assert.That(fields.GetAll("answer.name"), Is.EqualTo(new[]
                { "mcp.example.com", "edge.example.net", "edge.example.net", "mcp.example.com", "mcp.example.com" }));
            Assert.That(sink.Items[0].Flow.Client, Is.EqualTo("10.0.0.7"));
        });
    }

    [Test]
    public void OnDatagram_NxDomain_ReportsTheCode()
    {
        var (sink, factory) = Create();
        var message = DnsBytes.Header(7, 0x8183, 1, 0).Name("nope.example").U16(16).U16(1).ToArray();
        factory.ForUdp(53, 1)!.OnDatagram(Udp, false, message, StreamHarness.T0);

        Assert.That(sink.Items.Single().Fields.Get("rcode"), Is.EqualTo("NXDOMAIN"));
        Assert.That(sink.Items.Single().Fields.Get("type"), Is.EqualTo("TXT"));
    }

    [Test]
    public void OnDatagram_PointerLoopOrForwardPointer_IsCountedAsMalformed()
    {
        var (sink, factory) = Create();
        // Question name at 12: label "a", then a pointer back to 12: a loop.
        var loop = DnsBytes.Header(1, 0x0100, 1, 0).Raw(1, (byte)'a').Pointer(12).U16(1).U16(1).ToArray();
        var forward = DnsBytes.Header(1, 0x0100, 1, 0).Pointer(40).U16(1).U16(1).ToArray();
        var self = DnsBytes.Header(1, 0x0100, 1, 0).Pointer(12).U16(1).U16(1).ToArray();
        var analyzer = factory.ForUdp(1, 53)!;

        Assert.DoesNotThrow(() =>
        {
            analyzer.OnDatagram(Udp, true, loop, StreamHarness.T0);
            analyzer.OnDatagram(Udp, true, forward, StreamHarness.T0);
            analyzer.OnDatagram(Udp, true, self, StreamHarness.T0);
        });
        Assert.That(sink.Items, Is.Empty);
        Assert.That(factory.Counters.DnsMalformed, Is.EqualTo(3));
    }

    [Test]
    public void OnDatagram_AnswerWithLoopingName_KeepsTheQuestion()
    {
        var (sink, factory) = Create();
        var m = DnsBytes.Header(1, 0x8180, 1, 2).Name("ok.example").U16(1).U16(1);
        m.Answer(b => b.Pointer(QuestionOffset), 1, [192, 0, 2, 1]);
        int second = m.Position;
        m.Answer(b => b.Raw(1, (byte)'x').Pointer(second), 1, [192, 0, 2, 2]);
        factory.ForUdp(1, 53)!.OnDatagram(Udp, false, m.ToArray(), StreamHarness.T0);

        var fields = sink.Items.Single().Fields;
        Assert.That(fields.Get("name"), Is.EqualTo("ok.example"));
        Assert.That(fields.GetAll("answer"), Is.EqualTo(new[] { "192.0.2.1" }));
    }

    [Test]
    public void OnData_DnsOverTcp_FramesMessagesSplitAnywhere()
    {
        var query = Query("api.example.com");
        var response = Response();
        byte[] Framed(byte[] m) => [(byte)(m.Length >> 8), (byte)m.Length, .. m];
        Segment[] segments = [Segment.Client([.. Framed(query), .. Framed(query)]), Segment.Server(Framed(response))];
        var tcp = new FlowEndpoints("10.0.0.7", 41000, "10.0.0.53", 53, "tcp");

        var whole = new StreamHarness(tcp).Run(segments);
        var bytewise = new StreamHarness(tcp).RunBytewise(segments);

        Assert.That(whole.Kinds, Is.EqualTo(new[] { ObservationKinds.Dns, ObservationKinds.Dns, ObservationKinds.Dns }));
        Assert.That(StreamHarness.Render(bytewise.Observations), Is.EqualTo(StreamHarness.Render(whole.Observations)));
        Assert.That(whole.Observations.Select(o => o.Flow.Client), Is.All.EqualTo("10.0.0.7"));
    }

    [Test]
    public void OnDatagram_RandomBytes_NeverThrow()
    {
        var (_, factory) = Create();
        var analyzer = factory.ForUdp(1, 53)!;
        var random = new Random(5);
        var seed = Response();
        Assert.DoesNotThrow(() =>
        {
            for (int i = 0; i < 3000; i++)
            {
                var data = (byte[])seed.Clone();
                for (int k = 0; k < 1 + random.Next(6); k++) data[random.Next(data.Length)] = (byte)random.Next(256);
                analyzer.OnDatagram(Udp, i % 2 == 0, data.AsSpan(0, random.Next(data.Length)), StreamHarness.T0);
            }
        });
    }

    [Test]
    public void ForUdp_OtherPorts_ReturnsNull()
    {
        var (_, factory) = Create();
        Assert.Multiple(() =>
        {
            Assert.That(factory.ForUdp(5353, 443), Is.Null);
            Assert.That(factory.ForUdp(53, 1), Is.SameAs(factory.ForUdp(1, 53)));
        });
    }
}
