using System.Text.Json;

namespace ShadowMcp.Cli.Tests;

/// <summary><c>shadowmcp scan --keylog</c> end to end: the option, the JSON stats and the error for a bad line.</summary>
[Category("Integration")]
public sealed class ScanKeyLogCommandTests
{
    private static TlsCorpusManifest.Entry Session => TlsCorpusManifest.Load().Files.First(f => f.File == "ts-tls13-stateful.pcap");

    [Test]
    public void Scan_WithKeyLog_FindsTheServerAndCountsDecryptedFlows()
    {
        var e = Session;
        var r = CliProcess.Run("scan", e.PcapPath, "--keylog", e.KeyLogPath, "--format", "json", "--no-store");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var stats = doc.RootElement.GetProperty("stats");
        Assert.That(stats.GetProperty("tlsDecryptedFlows").GetInt64(), Is.GreaterThan(0));
        Assert.That(stats.GetProperty("tlsBadRecords").GetInt64(), Is.Zero);
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("endpoint").GetProperty("port").GetInt32() == e.Port);
        Assert.That(finding.GetProperty("verdict").GetString(), Is.EqualTo("shadow"));
        Assert.That(finding.GetProperty("transport").GetString(), Is.EqualTo(e.Transport));
    }

    [Test]
    public void Scan_KeyLogWithABadLine_ExitsTwoNamesTheLineAndStillReportsTheFinding()
    {
        var e = Session;
        var dir = Directory.CreateTempSubdirectory("shadowmcp-cli-keylog-");
        try
        {
            var keys = Path.Combine(dir.FullName, "keys.log");
            File.WriteAllLines(keys, ["not a key log line", .. File.ReadAllLines(e.KeyLogPath)]);

            var r = CliProcess.Run("scan", e.PcapPath, "--keylog", keys, "--format", "json", "--no-store");

            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.Stderr, Does.Contain($"{keys}: line 1: expected 'LABEL CLIENT_RANDOM SECRET'"));
            Assert.That(r.Stderr, Does.Not.Contain("   at "), "no stack trace");
            using var doc = JsonDocument.Parse(r.Stdout);
            Assert.That(doc.RootElement.GetProperty("findings").GetArrayLength(), Is.GreaterThan(0));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
