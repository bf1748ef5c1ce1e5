using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Tests.Dlp;

/// <summary>
/// The sample corpus (Dlp/Corpus/*.tsv): every positive is found by its detector, as plain text, inside JSON and
/// by the pre-scan; no negative (realistic tool traffic: UUIDs, timestamps, order ids, hashes, phone numbers)
/// is flagged at all, as text or as JSON.
/// </summary>
public sealed class DlpCorpusTests
{
    private static IEnumerable<string[]> Lines(string file) =>
        File.ReadLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Dlp", "Corpus", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t').Select(Regex.Unescape).ToArray());

    private static IEnumerable<TestCaseData> Positives() =>
        Lines("positives.tsv").Select(p => new TestCaseData(p[0], p[1]).SetArgDisplayNames(p[0], p[1][..Math.Min(p[1].Length, 40)]));

    private static IEnumerable<TestCaseData> Negatives() =>
        Lines("negatives.tsv").Select(n => new TestCaseData(n[0]).SetArgDisplayNames(n[0][..Math.Min(n[0].Length, 40)]));

    [TestCaseSource(nameof(Positives))]
    public void Positive_IsFound_AsTextJsonAndByThePrescan(string detector, string text)
    {
        Assert.That(DlpScanner.ScanText(text, "$", redact: false).Hits.Select(h => h.Detector), Does.Contain(detector));
        var json = JsonSerializer.Serialize(new { content = new[] { new { type = "text", text } } });
        Assert.That(DlpPrescan.MayMatch(System.Text.Encoding.UTF8.GetBytes(json)), Is.True, "pre-scan");
        Assert.That(DlpScanner.Scan(JsonNode.Parse(json), redact: false).Hits.Select(h => h.Detector), Does.Contain(detector));
    }

    [TestCaseSource(nameof(Positives))]
    public void Positive_IsRedacted(string detector, string text)
    {
        var (redacted, _) = DlpScanner.ScanText(text, "$", redact: true);
        Assert.That(redacted, Does.Contain($"[REDACTED:{detector}]"));
        Assert.That(DlpScanner.ScanText(redacted, "$", redact: false).Hits.Select(h => h.Detector), Does.Not.Contain(detector));
    }

    /// <summary>Every detector leaked through upstream JSON-RPC error messages before; each is blocked or redacted.</summary>
    [TestCaseSource(nameof(Positives))]
    public void Positive_InAnUpstreamErrorMessage_IsBlockedOrRedacted(string detector, string text)
    {
        var error = new McpProtocolException("upstream failed: " + text, McpErrorCode.InternalError);
        var blocked = Assert.Throws<DlpBlockedException>(() => DlpGuard.InboundError(new DlpSettings { Results = "block" }, error));
        Assert.That(blocked!.Result.Hits.Select(h => h.Detector), Does.Contain(detector));
        Assert.That(blocked.Message, Does.Not.Contain(text));

        var (redacted, result) = DlpGuard.InboundError(new DlpSettings { Results = "redact" }, error);
        Assert.That(result.Hits.Select(h => h.Detector), Does.Contain(detector));
        Assert.That(redacted.Message, Does.Contain($"[REDACTED:{detector}]"));
        Assert.That(redacted.ErrorCode, Is.EqualTo(McpErrorCode.InternalError));
    }

    /// <summary>A secret used as a property name is found like a value (and renamed when redacting).</summary>
    [TestCaseSource(nameof(Positives))]
    public void Positive_AsAPropertyName_IsFound(string detector, string text)
    {
        var json = new JsonObject { [text] = true }.ToJsonString();
        Assert.That(DlpPrescan.MayMatch(System.Text.Encoding.UTF8.GetBytes(json)), Is.True, "pre-scan");
        var node = JsonNode.Parse(json);
        Assert.That(DlpScanner.Scan(node, redact: true).Hits.Select(h => h.Detector), Does.Contain(detector));
        Assert.That(node!.AsObject().Single().Key, Does.StartWith("[REDACTED:"));
    }

    [TestCaseSource(nameof(Negatives))]
    public void Negative_IsNotFlagged(string text)
    {
        Assert.That(DlpScanner.ScanText(text, "$", redact: false).Hits, Is.Empty);
        // The pre-scan may say "maybe" (a joined view glued two fields); the verdict is the full scanner's.
        var json = JsonSerializer.Serialize(new { result = text, note = "ok" });
        Assert.That(DlpScanner.Scan(JsonNode.Parse(json), redact: false).Hits, Is.Empty);
    }

    private static byte[] Bytes(Random random)
    {
        var b = new byte[16];
        random.NextBytes(b);
        return b;
    }

    [Test]
    public void Negatives_AsOneRealisticResult_AreClean()
    {
        var lines = Lines("negatives.tsv").Select(n => n[0]).ToList();
        // Seeded so a failure can be replayed; DlpUuidTests covers UUIDs on their own.
        var random = new Random(20261206);
        var result = new
        {
            items = lines.Select((l, i) => new { id = new Guid(Bytes(random)), seq = 1733333333000L + i, text = l, at = DateTimeOffset.UnixEpoch.AddDays(i) }),
            years = new[] { 2021, 2022, 2023, 2024 },
            ids = new[] { 48213, 48214, 48215, 48216 },
        };
        var json = JsonSerializer.Serialize(result);
        Assert.That(DlpScanner.Scan(JsonNode.Parse(json), redact: false).Hits, Is.Empty);
        Assert.That(DlpPrescan.MayMatch(System.Text.Encoding.UTF8.GetBytes(json)), Is.False);
    }
}
