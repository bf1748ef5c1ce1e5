using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Findings;
using ShadowMcp.Scanner.Decryption;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// MCP inside TLS, on the project's own TLS corpus (real SDK sessions and HTTPS look-alikes with their key logs):
/// with the key log every MCP session is found with its transport and no look-alike is; without it, nothing breaks.
/// </summary>
public sealed class TlsCorpusDetectionTests
{
    private static readonly Lazy<McpClassifier> Shipped = new(() => McpClassifier.Create(RepoPaths.Rules));

    private static IEnumerable<TestCaseData> McpOverHttp1() => TlsCorpusManifest.Where(e => e.IsMcp && e.Http == "http/1.1");

    private static IEnumerable<TestCaseData> McpOverH2() => TlsCorpusManifest.Where(e => e.IsMcp && e.Http == "h2");

    private static IEnumerable<TestCaseData> LookAlikes() => TlsCorpusManifest.Where(e => !e.IsMcp);

    private static IEnumerable<TestCaseData> All() => TlsCorpusManifest.Where(_ => true);

    private static ScanReport Scan(string pcap, params string[] keyLogs) =>
        Scan(pcap, KeyLog(keyLogs));

    private static ScanReport Scan(string pcap, TlsKeyLog? keyLog) =>
        new ScanRunner(Shipped.Value, store: null, NullLogger.Instance) { KeyLog = keyLog }.Run([pcap]);

    private static TlsKeyLog? KeyLog(string[] files)
    {
        if (files.Length == 0) return null;
        var log = new TlsKeyLog();
        foreach (var f in files) log.AddFile(f);
        return log;
    }

    [TestCaseSource(nameof(McpOverHttp1))]
    public void Scan_McpSessionWithKeyLog_FindsShadowServerWithItsTransport(TlsCorpusManifest.Entry e) => AssertFound(e);

    /// <summary>Needs the HTTP/2 analyzer (issue 14, h14b), which the decrypted bytes reach through the same factory.</summary>
    [TestCaseSource(nameof(McpOverH2))]
    public void Scan_H2McpSessionWithKeyLog_FindsShadowServerWithItsTransport(TlsCorpusManifest.Entry e) => AssertFound(e);

    [TestCaseSource(nameof(LookAlikes))]
    public void Scan_HttpsLookAlikeWithKeyLog_DecryptsAndProducesNoFinding(TlsCorpusManifest.Entry e)
    {
        var report = Scan(e.PcapPath, e.KeyLogPath);

        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Stats.TlsDecryptedFlows, Is.GreaterThan(0), "the look-alike must have been decrypted, not skipped");
        Assert.That(report.Stats.TlsBadRecords, Is.Zero);
        Assert.That(report.Findings, Is.Empty, () => string.Join("; ", report.Findings.Select(f => $"{f.Endpoint.Key} {f.Verdict}")));
    }

    [TestCaseSource(nameof(All))]
    public void Scan_WithoutKeyLog_FindsNothingInsideAndCountsTheFlows(TlsCorpusManifest.Entry e)
    {
        var report = Scan(e.PcapPath);

        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Stats.TlsDecryptedFlows, Is.Zero);
        Assert.That(report.Stats.TlsFlowsWithoutKeys, Is.GreaterThan(0));
        // The corpus dials 127.0.0.1 without SNI: there is no name to go on, and nothing inside is visible.
        Assert.That(report.Findings.Where(f => f.Endpoint.Path is not null), Is.Empty);
    }

    [Test]
    public void Scan_KeyLogWithGarbageLines_NamesEachLineAndStillDecrypts()
    {
        var e = TlsCorpusManifest.Load().Files.First(f => f.IsMcp && f.Http == "http/1.1");
        var dir = Directory.CreateTempSubdirectory("shadowmcp-keylog-");
        try
        {
            var keys = Path.Combine(dir.FullName, "keys.log");
            var lines = new List<string> { "# comment", "GARBAGE", "CLIENT_RANDOM zz 00", "NOT_A_LABEL " + new string('a', 64) + " 00" };
            lines.AddRange(File.ReadAllLines(e.KeyLogPath));
            lines.Add("CLIENT_RANDOM " + new string('b', 64) + " 1234");
            File.WriteAllLines(keys, lines);

            var report = Scan(e.PcapPath, keys);

            Assert.That(report.Errors.Select(x => x.ToString()), Is.EquivalentTo(new[]
            {
                $"{keys}: line 2: expected 'LABEL CLIENT_RANDOM SECRET'",
                $"{keys}: line 3: client random is not 32 bytes of hex",
                $"{keys}: line 4: unknown label 'NOT_A_LABEL'",
                $"{keys}: line {lines.Count}: CLIENT_RANDOM secret is not hex of the right length",
            }));
            Assert.That(report.Findings.Any(f => f.Endpoint.Port == e.Port && f.Verdict == Verdict.Shadow), Is.True);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Scan_WrongSecretsForTheRightSessions_CountsBadRecordsAndFindsNothingInside()
    {
        var e = TlsCorpusManifest.Load().Files.First(f => f.IsMcp && f.Http == "http/1.1");
        // Same client randoms, every secret's first byte changed: the records do not authenticate.
        var wrong = new TlsKeyLog();
        wrong.AddText("wrong.keys", string.Join('\n', File.ReadAllLines(e.KeyLogPath).Select(Corrupt)));

        var report = Scan(e.PcapPath, wrong);

        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Stats.TlsBadRecords, Is.GreaterThan(0));
        Assert.That(report.Stats.TlsDecryptedFlows, Is.Zero);
        Assert.That(report.Findings.Where(f => f.Endpoint.Path is not null), Is.Empty);
    }

    [Test]
    public void Scan_CorruptedRecordBytes_CountsThemAndKeepsTheOtherResults()
    {
        var e = TlsCorpusManifest.Load().Files.First(f => f.File == "ts-tls12-gcm-stateless.pcap");
        var bytes = File.ReadAllBytes(e.PcapPath);
        // Flip bytes in the last quarter of the file (late records of the session); the handshake stays intact.
        for (int at = bytes.Length * 3 / 4; at < bytes.Length; at += 997) bytes[at] ^= 0x5A;
        var dir = Directory.CreateTempSubdirectory("shadowmcp-corrupt-");
        try
        {
            var pcap = Path.Combine(dir.FullName, "corrupt.pcap");
            File.WriteAllBytes(pcap, bytes);

            var report = Scan(pcap, e.KeyLogPath);

            Assert.That(report.Stats.TlsBadRecords + report.Stats.Malformed, Is.GreaterThan(0));
            Assert.That(report.Stats.TlsDecryptedFlows, Is.GreaterThan(0));
            Assert.That(report.Findings.Any(f => f.Endpoint.Port == e.Port && f.Verdict == Verdict.Shadow), Is.True,
                "what was decrypted before the corruption still counts");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Scan_TruncatedCapture_ReportsTheFileAndKeepsWhatWasDecrypted()
    {
        var e = TlsCorpusManifest.Load().Files.First(f => f.File == "ts-tls13-stateful.pcap");
        var bytes = File.ReadAllBytes(e.PcapPath);
        var dir = Directory.CreateTempSubdirectory("shadowmcp-truncated-");
        try
        {
            var pcap = Path.Combine(dir.FullName, "truncated.pcap");
            File.WriteAllBytes(pcap, bytes[..(bytes.Length * 2 / 3 + 7)]);

            var report = Scan(pcap, e.KeyLogPath);

            Assert.That(report.Errors.Single().File, Is.EqualTo(pcap));
            Assert.That(report.Stats.TlsDecryptedFlows, Is.GreaterThan(0));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Corrupt(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 3) return line;
        char first = parts[2][0] == '0' ? '1' : '0';
        return $"{parts[0]} {parts[1]} {first}{parts[2][1..]}";
    }

    private static void AssertFound(TlsCorpusManifest.Entry e)
    {
        var report = Scan(e.PcapPath, e.KeyLogPath);

        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Stats.TlsBadRecords, Is.Zero);
        var finding = report.Findings.SingleOrDefault(f => f.Endpoint.Port == e.Port && f.Endpoint.Path == e.Path);
        Assert.That(finding, Is.Not.Null, () => $"no finding at :{e.Port}{e.Path}; got: {string.Join("; ", report.Findings.Select(f => f.Endpoint.Key))}");
        Assert.Multiple(() =>
        {
            Assert.That(finding!.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(finding.Transport, Is.EqualTo(e.Transport));
            Assert.That(finding.Server?.Name, Is.EqualTo(e.ServerName));
            Assert.That(finding.ProtocolVersions, Does.Contain(e.ProtocolVersion));
            Assert.That(finding.Evidence.Select(x => x.Detail), Has.Some.EndWith("(decrypted)"));
        });
    }
}
