using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>The handshake and record shapes a TLS connection leaves for later consumers, with and without keys.</summary>
public class TlsFlowSummaryTests
{
    private sealed class Summaries : ITlsFlowSink
    {
        public List<TlsFlowSummary> Items { get; } = [];
        public void OnTlsFlow(TlsFlowSummary summary) => Items.Add(summary);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Scan_CorpusSession_SummarisesHandshakeAndBoundedRecordShapes(bool withKeys)
    {
        const string name = "ts-tls12-gcm-stateless";
        var summaries = new Summaries();
        var observations = new ObservationList();
        var factory = new DefaultAnalyzerFactory(observations, name, new AnalyzerOptions { TlsRecordShapesPerDirection = 4 })
        {
            KeyLog = withKeys ? TlsCorpus.KeyLog(name) : null, TlsFlows = summaries,
        };

        new CaptureFileScanner().Scan(TlsCorpus.Pcap(name), factory, new ScanStats());

        Assert.That(summaries.Items, Is.Not.Empty);
        var hellos = observations.Items.Where(o => o.Kind == ObservationKinds.TlsServerHello).ToList();
        Assert.That(hellos, Has.Count.EqualTo(summaries.Items.Count));
        foreach (var s in summaries.Items)
        {
            Assert.Multiple(() =>
            {
                Assert.That(s.Version, Is.EqualTo("1.2"));
                Assert.That(s.Cipher, Is.EqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
                Assert.That(s.AlpnChosen, Is.EqualTo("http/1.1"));
                // Node dials 127.0.0.1 without SNI: "i".
                Assert.That(s.Ja4, Does.Match("^t13i[0-9]{4}h1_[0-9a-f]{12}_[0-9a-f]{12}$"));
                Assert.That(s.Ja4s, Does.StartWith("t12").And.Contain("h1_c02b_"));
                Assert.That(s.Decrypted, Is.EqualTo(withKeys));
                Assert.That(s.Records.Count(r => r.FromClient), Is.LessThanOrEqualTo(4));
                Assert.That(s.Records.Count(r => !r.FromClient), Is.LessThanOrEqualTo(4));
                Assert.That(s.ClientRecords, Is.GreaterThanOrEqualTo(s.Records.Count(r => r.FromClient)));
                Assert.That(s.Records.Select(r => r.Time), Is.Ordered);
            });
        }
        var first = hellos[0].Fields;
        Assert.That((first.Get("version"), first.Get("alpn"), first.Get("cipher")),
            Is.EqualTo(("1.2", "http/1.1", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")));
        Assert.That(observations.Items.Any(o => o.Basis == ObservationBasis.Decrypted), Is.EqualTo(withKeys));
    }

    [Test]
    public void Scan_Tls13WithKeys_ServerHelloCarriesTheAlpnFromEncryptedExtensions()
    {
        const string name = "cs-tls13-h2";
        var observations = new ObservationList();
        var factory = new DefaultAnalyzerFactory(observations, name) { KeyLog = TlsCorpus.KeyLog(name) };

        new CaptureFileScanner().Scan(TlsCorpus.Pcap(name), factory, new ScanStats());

        var hello = observations.Items.Single(o => o.Kind == ObservationKinds.TlsServerHello).Fields;
        Assert.That((hello.Get("version"), hello.Get("alpn"), hello.Get("cipher")), Is.EqualTo(("1.3", "h2", "TLS_AES_256_GCM_SHA384")));
        Assert.That(hello.Get("ja4s"), Does.StartWith("t1302").And.Contain("_1302_"));
    }
}
