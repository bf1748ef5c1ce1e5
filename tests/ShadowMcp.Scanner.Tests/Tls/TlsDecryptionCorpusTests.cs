using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>
/// Decryption checked against tshark as the oracle: on every capture of the project's TLS corpus (TLS 1.2 and 1.3,
/// AES-GCM and ChaCha20-Poly1305, resumed sessions, HTTP/1.1 and h2), the application data our decryptor hands
/// to the analyzers is byte for byte what tshark decrypts with the same key log.
/// </summary>
[Category("Integration")]
// Not parallel: the one fixture in this assembly that ran its cases concurrently; a CI run ended with NUnit failing
// to write its results (NullReferenceException in PropertyBag.AddToXml, the known symptom of a test's properties
// changing while NUnit reports them), after every test had passed.
public class TlsDecryptionCorpusTests
{
    private static IEnumerable<string> Captures() => TlsCorpus.Names();

    [TestCaseSource(nameof(Captures))]
    public void Scan_WithKeyLog_DecryptsTheSameBytesAsTshark(string name)
    {
        var recording = new RecordingFactory();
        var factory = new DefaultAnalyzerFactory(new ObservationList(), name)
        {
            KeyLog = TlsCorpus.KeyLog(name), DecryptedFactoryOverride = recording,
        };

        var result = new CaptureFileScanner().Scan(TlsCorpus.Pcap(name), factory, new ScanStats());

        Assert.That(result.Completed, Is.True, result.Error?.Message);
        var expected = TlsCorpus.TsharkDecrypted(name);
        Assert.That(expected, Is.Not.Empty, "tshark decrypted nothing: the oracle is broken");
        var ours = recording.Created.ToDictionary(a => a.Endpoints.InitiatorPort, a => (a.InitiatorBytes, a.ResponderBytes));
        Assert.Multiple(() =>
        {
            Assert.That(ours.Keys, Is.EquivalentTo(expected.Keys), "connections with decrypted data");
            foreach (var (port, (client, server)) in expected)
            {
                if (!ours.TryGetValue(port, out var mine)) continue;
                Assert.That(Convert.ToHexString(mine.InitiatorBytes), Is.EqualTo(Convert.ToHexString(client)), $"client bytes, port {port}");
                Assert.That(Convert.ToHexString(mine.ResponderBytes), Is.EqualTo(Convert.ToHexString(server)), $"server bytes, port {port}");
            }
            Assert.That(factory.Counters.TlsRecordsUndecryptable, Is.Zero);
            Assert.That(factory.Counters.TlsFlowsWithoutKeys, Is.Zero);
        });
    }
}
