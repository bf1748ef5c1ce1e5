using System.Text.Json.Nodes;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Tests.Dlp;

public sealed class DlpScannerTests
{
    private static IEnumerable<TestCaseData> Positives()
    {
        yield return new TestCaseData("pay with 4111 1111 1111 1111 today", "card-number").SetName("Scan_VisaTestCard_Detected");
        yield return new TestCaseData("card 5500-0000-0000-0004", "card-number").SetName("Scan_MastercardWithDashes_Detected");
        yield return new TestCaseData("ssn 123-45-6789", "us-ssn").SetName("Scan_Ssn_Detected");
        yield return new TestCaseData("iban GB82 WEST 1234 5698 7654 32", "iban").SetName("Scan_IbanWithSpaces_Detected");
        yield return new TestCaseData("DE89370400440532013000", "iban").SetName("Scan_IbanCompact_Detected");
        yield return new TestCaseData("mail alice@example.org", "email").SetName("Scan_Email_Detected");
        yield return new TestCaseData("AKIAIOSFODNN7EXAMPLE", "aws-access-key").SetName("Scan_AwsAccessKey_Detected");
        yield return new TestCaseData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws-secret-key").SetName("Scan_AwsSecretKey_Detected");
        yield return new TestCaseData("key=AIzaSyA1234567890abcdefghijklmnopqrstuv", "gcp-api-key").SetName("Scan_GcpApiKey_Detected");
        yield return new TestCaseData("ghp_" + new string('a', 36), "github-token").SetName("Scan_GitHubPat_Detected");
        yield return new TestCaseData("xoxb-1234567890-abcdefghij", "slack-token").SetName("Scan_SlackBotToken_Detected");
        yield return new TestCaseData("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "private-key").SetName("Scan_PrivateKey_Detected");
        yield return new TestCaseData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt").SetName("Scan_Jwt_Detected");
    }

    [Test]
    public void Scan_SecretSplitAmongManyShortFields_RedactsExactlyTheFieldsItCovers()
    {
        // The fields a joined match covers are now found by binary search (a scan of every field per match was
        // quadratic); the ones it touches, and only those, are still redacted whole.
        var items = Enumerable.Repeat("x", 2000).ToArray();
        string[] parts = ["4111", "1111", "1111", "1111"];
        for (var i = 0; i < parts.Length; i++) items[1000 + i] = parts[i];
        var node = new JsonObject { ["cards"] = new JsonArray(items.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()) };

        var result = DlpScanner.Scan(node, redact: true);

        Assert.That(result.Hits.Select(h => h.Detector), Does.Contain("card-number"));
        var after = node["cards"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.That(Enumerable.Range(0, after.Count).Where(i => after[i] != items[i]), Is.EqualTo(new[] { 1000, 1001, 1002, 1003 }));
        Assert.That(after[1000], Is.EqualTo("[REDACTED:card-number]"));
    }

    [TestCase("card4111111111111111", true)]
    [TestCase("deadbeef4111111111111111", false)]
    [TestCase("0f0e0d0c-4111-1111-1111-111111111111 and 4111 1111 1111 1111", true)]
    public void Scan_DigitsInsideTokens_AreJudgedPerToken(string text, bool card)
    {
        // A long run of letters and digits before the card: each token is measured once (it was measured again for
        // every digit in it, quadratic in its length), and the verdict of one token never carries to the next.
        var glued = string.Concat(Enumerable.Repeat("AKIAIOSFODNN7EXAMPLE", 200));
        foreach (var sample in new[] { text, glued + " " + text })
        {
            var (_, hits) = DlpScanner.ScanText(sample, "$", redact: false);
            Assert.That(hits.Any(h => h.Detector == "card-number"), Is.EqualTo(card), sample[^Math.Min(60, sample.Length)..]);
        }
    }

    [TestCaseSource(nameof(Positives))]
    public void Scan_FindsSecret(string text, string detector)
    {
        var (_, hits) = DlpScanner.ScanText(text, "$", redact: false);
        Assert.That(hits.Select(h => h.Detector), Does.Contain(detector));
    }

    [TestCase("order 4111 1111 1111 1112", TestName = "Scan_CardFailingLuhn_NotDetected")]
    [TestCase("ssn 000-12-3456", TestName = "Scan_SsnWithAreaZero_NotDetected")]
    [TestCase("GB82 WEST 1234 5698 7654 33", TestName = "Scan_IbanFailingMod97_NotDetected")]
    [TestCase("version 1.2.3 build 20240101", TestName = "Scan_PlainNumbers_NotDetected")]
    [TestCase("eyJub3RhbGciOjF9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9P", TestName = "Scan_JwtShapeWithoutAlg_NotDetected")]
    public void Scan_IgnoresLookAlike(string text)
    {
        var (_, hits) = DlpScanner.ScanText(text, "$", redact: false);
        Assert.That(hits, Is.Empty);
    }

    [Test]
    public void Scan_RedactsNestedStringsAndKeepsStructure()
    {
        var node = JsonNode.Parse("""{"a":{"list":["ok","AKIAIOSFODNN7EXAMPLE and bob@example.com"]},"n":5}""");
        var result = DlpScanner.Scan(node, redact: true);
        Assert.That(result.Hits.Select(h => h.Path), Has.All.EqualTo("$.a.list[1]"));
        Assert.That(node!["a"]!["list"]![1]!.GetValue<string>(), Is.EqualTo("[REDACTED:aws-access-key] and [REDACTED:email]"));
        Assert.That(node["n"]!.GetValue<int>(), Is.EqualTo(5));
    }

    [Test]
    public void Luhn_AcceptsValidAndRejectsRepeatedDigits()
    {
        Assert.That(DlpValidators.Luhn("4111111111111111"), Is.True);
        Assert.That(DlpValidators.Luhn("0000000000000000"), Is.False);
    }
}
