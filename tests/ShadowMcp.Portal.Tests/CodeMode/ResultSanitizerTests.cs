using System.Text.Json.Nodes;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Tests.CodeMode;

public sealed class ResultSanitizerTests
{
    [Test]
    public void ManyPropertyNamesRedactedAlike_StayDistinct_AndCostWorkInProportion()
    {
        // An upstream whose results are redacted returns an object keyed by e-mail addresses: every name becomes
        // [REDACTED:email], and each one searched for a free suffix from _2 upwards, in the portal at full
        // priority (quadratic: 5,000 names took 12.5 million probes).
        const int names = 5000;
        var result = new JsonObject();
        for (var i = 0; i < names; i++) result[$"user{i}@example.com"] = i;
        result["[REDACTED:email]_3"] = "already there";
        var sanitizer = new ResultSanitizer(DlpAction.Redact, tokenize: false, new PiiVault());
        var clean = sanitizer.Clean(result)!.AsObject();
        Assert.That(clean.Count, Is.EqualTo(names + 1));
        Assert.That(clean.Select(kv => kv.Key), Has.None.Contains("@example.com"));
        Assert.That(clean.Select(kv => kv.Value!.ToJsonString()), Has.One.EqualTo("\"already there\""), "no value is overwritten");
        Assert.That(sanitizer.KeyProbes, Is.LessThan(4L * names));
    }
}
