using System.Text.Json;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Tests.Dlp;

/// <summary>
/// The pre-scan lets clean traffic skip the full scan, so it must never say "clean" where the full scanner
/// would find something: a miss here is a secret that leaves unredacted.
/// </summary>
public sealed class DlpPrescanTests
{
    private static readonly string[] Secrets =
    [
        "pay with 4111 1111 1111 1111 today",
        "ssn 123-45-6789",
        "iban GB82 WEST 1234 5698 7654 32",
        "mail a@b.cd",
        "AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "key=AIzaSyA1234567890abcdefghijklmnopqrstuv",
        "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "xoxb-1234567890-abcdefghij",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ];

    [Test]
    public void MayMatch_EverySecretTheFullScannerFinds_IsACandidate_EvenEscapedAndNested()
    {
        foreach (var secret in Secrets)
        {
            Assert.That(DlpScanner.ScanText(secret, "$", redact: false).Hits, Is.Not.Empty, secret);
            // JSON escaping (\n, \u0040 for '@', \/) must not hide a secret from the pre-scan.
            var escaped = JsonSerializer.Serialize(new { outer = new object[] { 1, new { deep = secret } } },
                new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
            Assert.That(DlpPrescan.MayMatch(System.Text.Encoding.UTF8.GetBytes(escaped)), Is.True, escaped);
        }
    }

    [Test]
    public void MayMatch_OrdinaryToolTraffic_IsClean()
    {
        var args = new Dictionary<string, object?>
        {
            ["query"] = "SELECT name FROM projects WHERE id = 42",
            ["path"] = "/src/app/main.ts",
            ["limit"] = 20,
            ["tags"] = new[] { "alpha", "beta" },
        };
        Assert.That(DlpPrescan.MayMatch(args, JsonSerializerOptions.Default), Is.False);
    }

    [Test]
    public void MayMatch_PropertyNamesAreScanned_LikeTheFullScanner()
    {
        Assert.That(DlpPrescan.MayMatch("""{"alice@example.org": "x"}"""u8), Is.True);
    }

    [Test]
    public void MayMatch_MalformedJson_FallsBackToTheFullScanner()
    {
        Assert.That(DlpPrescan.MayMatch("""{"a": "unterminated"""u8), Is.True);
    }
}
