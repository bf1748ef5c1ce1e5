using System.Text.Json;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// The scan summary carries the TLS decryption, HTTP/2 and decompression counters, in the table and in JSON, so a
/// team can see what the TLS path did (records opened and failed, frames read, bombs capped) without a debugger.
/// </summary>
[Category("Integration")]
public sealed class ScanSummaryCountersTests
{
    private static TlsCorpusManifest.Entry H2Capture =>
        TlsCorpusManifest.Load().Files.First(f => f.File == "cs-tls13-h2.pcap");

    [Test]
    public void Scan_JsonOfADecryptedH2Capture_HasTheTlsHttp2AndDecompressionCounters()
    {
        var e = H2Capture;
        var r = CliProcess.Run("scan", e.PcapPath, "--keylog", e.KeyLogPath, "--format", "json", "--no-store");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var stats = doc.RootElement.GetProperty("stats");
        var tls = stats.GetProperty("tls");
        var http2 = stats.GetProperty("http2");
        var decompression = stats.GetProperty("decompression");
        Assert.Multiple(() =>
        {
            Assert.That(tls.GetProperty("recordsDecrypted").GetInt64(), Is.GreaterThan(0));
            Assert.That(tls.GetProperty("recordsUndecryptable").GetInt64(), Is.Zero);
            Assert.That(tls.GetProperty("decryptedUnrecognized").GetInt64(), Is.Zero);
            Assert.That(http2.GetProperty("frames").GetInt64(), Is.GreaterThan(0));
            Assert.That(http2.GetProperty("hpackErrors").GetInt64(), Is.Zero);
            Assert.That(http2.GetProperty("hpackBombs").GetInt64(), Is.Zero);
            Assert.That(decompression.GetProperty("bombsCapped").GetInt64(), Is.Zero);
        });
    }

    [Test]
    public void Scan_JsonWithTheWrongKeys_CountsDecryptionFailures()
    {
        var e = H2Capture;
        var other = TlsCorpusManifest.Load().Files.First(f => f.File == "ts-tls13-stateful.pcap");
        var r = CliProcess.Run("scan", e.PcapPath, "--keylog", other.KeyLogPath, "--format", "json", "--no-store");

        using var doc = JsonDocument.Parse(r.Stdout);
        var tls = doc.RootElement.GetProperty("stats").GetProperty("tls");
        Assert.Multiple(() =>
        {
            Assert.That(tls.GetProperty("recordsDecrypted").GetInt64(), Is.Zero);
            Assert.That(doc.RootElement.GetProperty("stats").GetProperty("http2").GetProperty("frames").GetInt64(), Is.Zero);
        });
    }

    [Test]
    public void Scan_TableOfADecryptedH2Capture_PrintsTheTlsAndHttp2Lines()
    {
        var e = H2Capture;
        var r = CliProcess.Run("scan", e.PcapPath, "--keylog", e.KeyLogPath, "--no-store");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        Assert.That(r.Stdout, Does.Match(@"records decrypted, 0 failed to decrypt"));
        Assert.That(r.Stdout, Does.Match(@"HTTP/2: [1-9][0-9,]* frames, 0 directions stopped, 0 HPACK errors, 0 HPACK bombs"));
    }
}
