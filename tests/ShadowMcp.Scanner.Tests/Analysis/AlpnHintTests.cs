using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Http;
using ShadowMcp.Scanner.Http2;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Http2;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;
using ShadowMcp.Scanner.Tests.Tls;

namespace ShadowMcp.Scanner.Tests.Analysis;

/// <summary>
/// The TLS analyzer hands the ALPN the server chose to the factory of decrypted data, and the factory trusts it:
/// h2 is parsed as HTTP/2 even when its first bytes would not sniff as HTTP/2.
/// </summary>
public class AlpnHintTests
{
    private static readonly FlowEndpoints Endpoints = new("10.0.0.7", 51000, "10.0.0.5", 443, "tcp");

    // A server that speaks first with eleven settings (66 bytes): more than the sniffer accepts as a SETTINGS frame.
    private static byte[] LongServerSettings() => H2.Frame(0x4, 0, 0, new byte[66]);

    [Test]
    public void CreateTcp_H2AlpnWithAnUnsniffableFirstFrame_ReturnsHttp2()
    {
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "t");

        Assert.Multiple(() =>
        {
            Assert.That(factory.CreateTcp(Endpoints, false, LongServerSettings()), Is.Null, "sniffing alone");
            Assert.That(factory.CreateTcp(Endpoints, false, LongServerSettings(), "h2"), Is.TypeOf<Http2Connection>());
            Assert.That(factory.Counters.TlsAlpnChosenAnalyzer, Is.EqualTo(1));
        });
    }

    [Test]
    public void CreateTcp_Http11AlpnWithTwoBytes_ReturnsHttp1()
    {
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "t");
        byte[] start = "PO"u8.ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(factory.CreateTcp(Endpoints, true, start), Is.Null, "sniffing alone");
            Assert.That(factory.CreateTcp(Endpoints, true, start, "http/1.1"), Is.TypeOf<HttpAnalyzer>());
        });
    }

    [TestCase(null)]
    [TestCase("spdy/3")]
    public void CreateTcp_NoOrUnknownAlpn_Sniffs(string? alpn)
    {
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "t");

        Assert.Multiple(() =>
        {
            Assert.That(factory.CreateTcp(Endpoints, true, H2.Preface, alpn), Is.TypeOf<Http2Connection>());
            Assert.That(factory.CreateTcp(Endpoints, true, "SSH-2.0-x\r\n"u8, alpn), Is.Null);
            Assert.That(factory.Counters.TlsAlpnChosenAnalyzer, Is.Zero);
        });
    }

    [TestCase("cs-tls13-h2", "h2")]
    [TestCase("ts-client-cs-server-h2", "h2")]
    [TestCase("ts-tls13-stateful", "http/1.1")]
    [TestCase("ts-tls12-gcm-stateless", "http/1.1")]
    [TestCase("cs-tls12-h1", null)] // Kestrel over TLS 1.2 without ALPN: the factory sniffs
    public void Scan_DecryptedCorpusCapture_PassesTheNegotiatedAlpn(string capture, string? expected)
    {
        var recording = new RecordingFactory();
        var factory = new DefaultAnalyzerFactory(new ObservationList(), capture)
        {
            KeyLog = TlsCorpus.KeyLog(capture), DecryptedFactoryOverride = recording,
        };

        var result = new CaptureFileScanner().Scan(TlsCorpus.Pcap(capture), factory, new ScanStats());

        Assert.That(result.Completed, Is.True, result.Error?.Message);
        Assert.That(recording.Alpns, Is.Not.Empty.And.All.EqualTo(expected));
    }

    [Test]
    public void Scan_H2CorpusCaptureWithKeys_ParsesHttp2ThroughTheAlpnChoice()
    {
        var observations = new ObservationList();
        var factory = new DefaultAnalyzerFactory(observations, "cs-tls13-h2") { KeyLog = TlsCorpus.KeyLog("cs-tls13-h2") };

        new CaptureFileScanner().Scan(TlsCorpus.Pcap("cs-tls13-h2"), factory, new ScanStats());

        Assert.That(factory.Counters.TlsAlpnChosenAnalyzer, Is.GreaterThan(0));
        Assert.That(observations.Items.Where(o => o.Kind == ObservationKinds.HttpRequest)
            .Select(o => o.Fields.Get("version")), Has.Some.EqualTo("HTTP/2"));
    }
}
