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
