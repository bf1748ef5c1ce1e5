using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// Core's basis mapping names rules by id; these tests hold it to what each shipped rule looks at, so a new or
/// changed rule in rules/ fails here until the mapping places it.
/// </summary>
public sealed class BasisOfShippedRulesTests
{
    private static IEnumerable<TestCaseData> Rules() =>
        ShippedRules.RuleSet.Rules.Select(r => new TestCaseData(r.Id, r.Observation).SetArgDisplayNames(r.Id));

    [TestCaseSource(nameof(Rules))]
    public void EveryShippedRule_HasTheBasisOfWhatItObserves(string id, string observation)
    {
        var basis = BasisRules.Of(id, "");

        var expected = observation switch
        {
            "tls.shape" => new[] { FindingBasis.Shape },
            "dns" or "tls.clienthello" => [FindingBasis.Name],
            // A Host header rule reads a name; every other HTTP, JSON-RPC or SSE rule reads MCP itself.
            _ when id.Contains("host", StringComparison.Ordinal) && observation.StartsWith("http", StringComparison.Ordinal) => [FindingBasis.Name],
            _ => [FindingBasis.Content],
        };
        Assert.That(expected, Does.Contain(basis), $"{id} observes {observation}");
    }

    [Test]
    public void EveryPlacedNetworkRule_IsShipped()
    {
        var shipped = ShippedRules.RuleSet.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        Assert.That(BasisRules.KnownRules.Except(BasisRules.HostRules).Where(r => !shipped.Contains(r)), Is.Empty,
            "a rule the mapping places is no longer in rules/");
    }
}
