using System.Text;
using System.Text.Json.Nodes;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Tests.Dlp;

/// <summary>Secrets hidden in JSON structure: numbers, property names, split across fields.</summary>
public sealed class DlpJsonShapeTests
{
    [TestCase("""{"n": 4111111111111111}""", "card-number", TestName = "Json_CardAsNumber_Found")]
    [TestCase("""{"n": 4.111111111111111E15}""", "card-number", TestName = "Json_CardAsExponentNumber_Found")]
    [TestCase("""{"4111 1111 1111 1111": "x"}""", "card-number", TestName = "Json_CardAsPropertyName_Found")]
    [TestCase("""{"AKIAIOSFODNN7EXAMPLE": 1}""", "aws-access-key", TestName = "Json_AwsKeyAsPropertyName_Found")]
    [TestCase("""{"a": "4111 1111", "b": "1111 1111"}""", "card-number", TestName = "Json_CardSplitAcrossFields_Found")]
    [TestCase("""{"p1": "4111", "p2": "1111", "p3": "1111", "p4": "1111"}""", "card-number", TestName = "Json_CardInFourFields_Found")]
    [TestCase("""["AKIAIOSF", "ODNN7EXAMPLE"]""", "aws-access-key", TestName = "Json_AwsKeySplitInArray_Found")]
    [TestCase("""{"ssn": 123456789}""", "us-ssn", TestName = "Json_BareSsnUnderSsnField_Found")]
    [TestCase("""{"id": "AKIAIOSFODNN7EXAMPLE", "value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}""", "aws-secret-key",
        TestName = "Json_AwsSecretNextToItsKeyId_Found")]
    [TestCase("""{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}""", "aws-secret-key", TestName = "Json_AwsSecretUnderItsFieldName_Found")]
    [TestCase("""{"aws": {"key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}""", "aws-secret-key",
        TestName = "Json_AwsSecretInAnObjectNamedAws_Found")]
    [TestCase("""{"secrets": ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]}""", "aws-secret-key",
        TestName = "Json_AwsSecretInAnArrayNamedSecrets_Found")]
    [TestCase("""{"credentials": [{"user": "ci", "key": "Kp9sZy2Qm4Lr8Tw1Vx6Nb3Hc5Jd7Fg0AaEeRrTtY"}]}""", "aws-secret-key",
        TestName = "Json_AwsSecretInAListOfCredentials_Found")]
    [TestCase("""{"Credentials": {"AccessKeyId": "ASIAY34FZKBOKMUTVV7A", "SecretAccessKey": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"}}""",
        "aws-secret-key", TestName = "Json_StsAssumeRoleCredentials_Found")]
    [TestCase("""{"ssn": [123456789]}""", "us-ssn", TestName = "Json_BareSsnInAnArrayNamedSsn_Found")]
    [TestCase("""{"deep": [{"x": {"v": "de89 3704 0044 0532 0130 00"}}]}""", "iban", TestName = "Json_NestedLowercaseIban_Found")]
    public void Found_ByScannerAndPrescan(string json, string detector)
    {
        Assert.That(DlpPrescan.MayMatch(Encoding.UTF8.GetBytes(json)), Is.True);
        Assert.That(DlpScanner.Scan(JsonNode.Parse(json), redact: false).Hits.Select(h => h.Detector), Does.Contain(detector));
    }

    [TestCase("""{"n": 4111111111111111}""", TestName = "Redact_CardNumber_Replaced")]
    [TestCase("""{"4111 1111 1111 1111": "x"}""", TestName = "Redact_PropertyName_Renamed")]
    [TestCase("""{"a": "4111 1111", "b": "1111 1111"}""", TestName = "Redact_SplitFields_BothReplaced")]
    [TestCase("""["AKIAIOSF", "ODNN7EXAMPLE", "fine"]""", TestName = "Redact_SplitArray_PartsReplaced")]
    public void Redact_LeavesNothingTheScannerFinds(string json)
    {
        var node = JsonNode.Parse(json);
        Assert.That(DlpScanner.Scan(node, redact: true).Hits, Is.Not.Empty);
        var after = node!.ToJsonString();
        Assert.That(after, Does.Contain("[REDACTED:"));
        Assert.That(DlpScanner.Scan(JsonNode.Parse(after), redact: false).Hits, Is.Empty, after);
        Assert.That(DlpPrescan.MayMatch(Encoding.UTF8.GetBytes(after)), Is.False, after);
    }

    [TestCase("""{"ids": ["48213", "48214"], "n": 4}""", TestName = "Clean_ShortIdsAdjacent")]
    [TestCase("""{"ssn_note": "see ticket", "count": 123456789}""", TestName = "Clean_NineDigitsWithoutSsnField")]
    [TestCase("""{"sha": "9fceb02d0ae598e95dc970b74767f19372d61af8", "tree": "4b825dc642cb6eb9a060e54bf8d69288fbee4904"}""", TestName = "Clean_GitShas")]
    [TestCase("""{"blobs": ["iroWEMnFB5qqwzfv1+YwLRk9XYgewufBxaCdPuMT"], "aws": {"region": "eu-west-1"}}""",
        TestName = "Clean_BlobBesideAnAwsObject")]
    [TestCase("""{"aws": {"etag": "9fceb02d0ae598e95dc970b74767f19372d61af8", "bucket": "reports"}}""", TestName = "Clean_HexEtagUnderAws")]
    [TestCase("""{"ssn": {"checked": true}, "counts": [123456789]}""", TestName = "Clean_NineDigitsBesideAnSsnObject")]
    public void Clean_StaysClean(string json)
    {
        Assert.That(DlpScanner.Scan(JsonNode.Parse(json), redact: false).Hits, Is.Empty);
        Assert.That(DlpPrescan.MayMatch(Encoding.UTF8.GetBytes(json)), Is.False);
    }
}
