using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Analysis;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Tls;

public class TlsAnalyzerClientHelloTests
{
    private static FlowEndpoints Flow() => new("10.0.0.7", 52000, "10.0.0.5", 443, "tcp");

    [Test]
    public void OnData_ClientHello_EmitsSniAlpnAndHighestVersion()
    {
        var h = new StreamHarness(Flow());
        h.Feed(Segment.Client(ClientHelloBytes.Typical()));

        var hello = h.Single(ObservationKinds.TlsClientHello);
        Assert.Multiple(() =>
        {
            Assert.That(h.Analyzer, Is.TypeOf<TlsAnalyzer>());
            Assert.That(hello.Fields.Get("sni"), Is.EqualTo("mcp.example.com"));
            Assert.That(hello.Fields.GetAll("alpn"), Is.EqualTo(new[] { "h2", "http/1.1" }));
            Assert.That(hello.Fields.Get("version"), Is.EqualTo("TLS1.3"));
            Assert.That(hello.Flow, Is.EqualTo(new FlowRef("10.0.0.7", 52000, "10.0.0.5", 443, "tcp")));
            // The ServerHello and the first records' shapes are still to come.
            Assert.That(h.Analyzer!.WantsMoreData, Is.True);
            Assert.That(hello.Fields.Get("ja4"), Does.Match("^t13d0[0-9]0[0-9]h2_[0-9a-f]{12}_[0-9a-f]{12}$"));
        });
    }

    [Test]
    public void OnData_SplitAcrossThreeSegments_GivesTheSameObservation()
    {
        var bytes = ClientHelloBytes.Typical();
        var baseline = StreamHarness.Render(new StreamHarness(Flow()).Run([Segment.Client(bytes)]).Observations);

        var h = new StreamHarness(Flow());
        h.Feed(Segment.Client(bytes[..3]));
        Assert.That(h.Analyzer!.WantsMoreData, Is.True);
        h.Feed(Segment.Client(bytes[3..40]));
        h.Feed(Segment.Server("ignored"u8.ToArray()));
        h.Feed(Segment.Client(bytes[40..]));

        Assert.That(StreamHarness.Render(h.Observations), Is.EqualTo(baseline));
        Assert.That(StreamHarness.Render(new StreamHarness(Flow()).RunBytewise([Segment.Client(bytes)]).Observations), Is.EqualTo(baseline));
    }

    [Test]
    public void OnData_HandshakeFragmentedOverRecords_IsReassembled()
    {
        var handshake = ClientHelloBytes.Hello("frag.example", ["h2"], [0x0304]);
        var records = ClientHelloBytes.Records(handshake, fragment: 50);
        var h = new StreamHarness(Flow());
        for (int at = 0; at < records.Length; at += 64) h.Feed(Segment.Client(records[at..Math.Min(records.Length, at + 64)]));

        Assert.That(h.Single(ObservationKinds.TlsClientHello).Fields.Get("sni"), Is.EqualTo("frag.example"));
    }

    [Test]
    public void OnData_NoSupportedVersions_UsesTheLegacyVersion()
    {
        var h = new StreamHarness(Flow());
        h.Feed(Segment.Client(ClientHelloBytes.Records(ClientHelloBytes.Hello(null, [], null))));

        var fields = h.Single(ObservationKinds.TlsClientHello).Fields;
        Assert.That(fields.Get("version"), Is.EqualTo("TLS1.2"));
        Assert.That(fields.Has("sni"), Is.False);
    }

    [Test]
    public void OnData_NotAClientHello_StopsQuietly()
    {
        byte[] serverHello = [0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00];
        var h = new StreamHarness(Flow());
        h.Feed(Segment.Client(serverHello));

        Assert.Multiple(() =>
        {
            Assert.That(h.Observations, Is.Empty);
            Assert.That(h.Analyzer!.WantsMoreData, Is.False);
            Assert.That(h.Factory.Counters.TlsNotClientHello, Is.EqualTo(1));
        });
    }

    [Test]
    public void OnData_RandomBytesAfterARecordHeader_NeverThrow()
    {
        var random = new Random(17);
        var seed = ClientHelloBytes.Typical();
        Assert.DoesNotThrow(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                var data = (byte[])seed.Clone();
                for (int k = 0; k < 1 + random.Next(8); k++) data[3 + random.Next(data.Length - 3)] = (byte)random.Next(256);
                var h = new StreamHarness(Flow());
                int cut = random.Next(1, data.Length);
                h.Feed(Segment.Client(data[..cut]));
                h.Analyzer?.OnData(true, data.AsSpan(cut), StreamHarness.T0);
                h.Analyzer?.OnClose(StreamHarness.T0);
            }
        });
    }
}
