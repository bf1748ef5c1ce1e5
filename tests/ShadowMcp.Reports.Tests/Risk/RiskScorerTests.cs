using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Risk;

namespace ShadowMcp.Reports.Tests.Risk;

public sealed class RiskScorerTests
{
    private static ShadowServer Server(string address, string transport, int port, int clients, params string[] tools) => new()
    {
        Endpoint = $"{address}:{port}/mcp", Address = address, Port = port, Hosts = [], Transport = transport, ProtocolVersions = [],
        Status = "new", Confidence = 0.97, Clients = [.. Enumerable.Range(1, clients).Select(i => new ClientEntry($"10.1.0.{i}", null))],
        ClientApps = [], Tools = tools, Evidence = [],
    };

    [Test]
    public void RemoteDestructivePlaintextServerOfManyClients_ScoresEveryFactorWithItsEvidence()
    {
        var risk = RiskScorer.Score(Server("203.0.113.7", "streamable-http", 8080, 4, "DeleteRepo", "fetch_url", "list_items"),
            RiskWeights.Default);

        Assert.That(risk.Factors.Select(f => f.Name),
            Is.EqualTo(new[] { "shadow", "remote", "clients", "destructive tools", "open-world tools", "plaintext" }));
        Assert.That(risk.Factors.Single(f => f.Name == "destructive tools").Evidence, Is.EqualTo("DeleteRepo"));
        Assert.That(risk.Factors.Single(f => f.Name == "open-world tools").Evidence, Is.EqualTo("fetch_url"));
        Assert.That(risk.Factors.Single(f => f.Name == "remote").Evidence, Does.Contain("203.0.113.7"));
        Assert.That(risk.Score, Is.EqualTo(100));
    }

    [TestCase("10.0.0.5")]
    [TestCase("172.20.1.1")]
    [TestCase("192.168.1.9")]
    [TestCase("100.64.0.1")]
    [TestCase("fd00::1")]
    [TestCase("::ffff:10.0.0.5")]
    public void InternalReadOnlyServerOverTls_ScoresOnlyForBeingShadow(string address)
    {
        var risk = RiskScorer.Score(Server(address, "tls", 443, 1, "list_items", "get_weather"), RiskWeights.Default);
        Assert.That(risk.Factors.Select(f => f.Name), Is.EqualTo(new[] { "shadow" }));
        Assert.That(risk.Score, Is.EqualTo(RiskWeights.Default.Shadow));
    }

    [Test]
    public void WeightsFile_ReplacesTheDefaults_AndABadOneIsNamed()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-risk-").FullName;
        try
        {
            var good = Path.Combine(dir, "good.json");
            File.WriteAllText(good, "{ \"shadow\": 5, \"destructiveTools\": { \"points\": 60, \"patterns\": [\"wipe\"] } }");
            var risk = RiskScorer.Score(Server("10.0.0.5", "tls", 443, 1, "wipe_disk", "delete_file"), RiskWeights.Load(good));
            Assert.That((risk.Score, risk.Factors.Single(f => f.Name == "destructive tools").Evidence), Is.EqualTo((65, "wipe_disk")));

            var broken = Path.Combine(dir, "broken.json");
            File.WriteAllText(broken, "{\n  \"shadow\": 5,\n  \"remote\": \"lots\"\n}");
            Assert.That(() => RiskWeights.Load(broken),
                Throws.TypeOf<ReportInputException>().With.Message.StartsWith($"{broken}: line 3:"));

            var negative = Path.Combine(dir, "negative.json");
            File.WriteAllText(negative, "{ \"plaintext\": -5 }");
            Assert.That(() => RiskWeights.Load(negative),
                Throws.TypeOf<ReportInputException>().With.Message.EqualTo($"{negative}: plaintext is -5; points are 0 to 100"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

public sealed class RiskEvidenceFactorTests
{
    private static ShadowServer Server(params EvidenceEntry[] evidence) => new()
    {
        Endpoint = "10.0.0.5:443/mcp", Address = "10.0.0.5", Port = 443, Hosts = [], Transport = "tls", ProtocolVersions = [],
        Status = "new", Confidence = 0.97, Clients = [new ClientEntry("10.1.0.1", null)], ClientApps = [], Tools = [], Evidence = evidence,
    };

    private static EvidenceEntry Seen(string rule, string example, int count = 1) =>
        new(rule, "A tool description carries instructions for the model", "high", "", count, DateTime.UnixEpoch, DateTime.UnixEpoch, example);

    [Test]
    public void ARuleTheWeightsName_AddsItsPoints_WithTheExampleAsEvidence()
    {
        var risk = RiskScorer.Score(Server(Seen("mcp-tool-description-injection", "sse: {\"tools\":[{\"description\":\"<IMPORTANT>…\"}]}", 2)),
            RiskWeights.Default);

        var factor = risk.Factors.Single(f => f.Name == "tool description instructs the model");
        Assert.That(factor.Points, Is.EqualTo(40));
        Assert.That(factor.Evidence, Does.Contain("seen 2 times").And.Contain("<IMPORTANT>"));
        Assert.That(risk.Score, Is.EqualTo(RiskWeights.Default.Shadow + 40));
    }

    [Test]
    public void EvidenceOfRulesTheWeightsDoNotName_AddsNothing_AndLongExamplesAreCapped()
    {
        var risk = RiskScorer.Score(Server(Seen("mcp-initialize-request", "x")), RiskWeights.Default);
        Assert.That(risk.Factors.Select(f => f.Name), Is.EqualTo(new[] { "shadow" }));

        var longExample = new string('a', 5_000);
        var capped = RiskScorer.Score(Server(Seen("mcp-tool-declared-destructive", longExample)), RiskWeights.Default);
        Assert.That(capped.Factors.Single(f => f.Name == "tools declared destructive").Evidence.Length, Is.LessThan(500));
    }

    [Test]
    public void EveryRuleTheShippedWeightsName_IsAShippedRule()
    {
        var rulesDir = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "rules");
        var shipped = Directory.EnumerateFiles(rulesDir, "*.yaml")
            .SelectMany(File.ReadLines).Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => l[4..].Trim()).ToHashSet();
        Assert.That(RiskWeights.Default.Evidence.Select(e => e.Rule), Is.SubsetOf(shipped));
    }

    [Test]
    public void AnEvidenceFactorWithoutARuleOrWithBadPoints_IsNamed()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-risk-").FullName;
        try
        {
            var noRule = Path.Combine(dir, "norule.json");
            File.WriteAllText(noRule, "{ \"evidence\": [ { \"name\": \"x\", \"points\": 5 } ] }");
            Assert.That(() => RiskWeights.Load(noRule),
                Throws.TypeOf<ReportInputException>().With.Message.EqualTo($"{noRule}: evidence[0] needs a rule id and a name"));
            var tooMany = Path.Combine(dir, "toomany.json");
            File.WriteAllText(tooMany, "{ \"evidence\": [ { \"rule\": \"r\", \"name\": \"x\", \"points\": 101 } ] }");
            Assert.That(() => RiskWeights.Load(tooMany),
                Throws.TypeOf<ReportInputException>().With.Message.EqualTo($"{tooMany}: evidence[0] (r) points is 101; points are 0 to 100"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
