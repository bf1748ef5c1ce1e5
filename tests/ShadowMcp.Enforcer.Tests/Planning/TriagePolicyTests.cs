using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Triage;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Planning;

/// <summary>Triage decisions change what the policy plans: exceptions are never planned, "blocked" is planned regardless of selection.</summary>
public sealed class TriagePolicyTests
{
    private static readonly EnforcementPolicy Policy = PolicyLoader.Parse(
        "version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.5\nmode: block\nbackends:\n  - type: hosts\n    path: /tmp/never-written\n", "test.yaml");

    private static IReadOnlyList<string> PlannedKeys(EnforcementPolicy policy, params Finding[] findings) =>
        [.. DesiredStateBuilder.Build(findings, policy).SelectMany(p => p.Findings).Distinct().Order(StringComparer.Ordinal)];

    [Test]
    public void FalsePositiveOrApproved_IsNeverPlanned()
    {
        var fp = TestFindings.Shadow("10.0.0.5", 8123, null);
        var approved = TestFindings.Shadow("10.0.0.6", 8123, null);
        var other = TestFindings.Shadow("10.0.0.7", 8123, null);
        var decisions = new TriageDecisions(new HashSet<string> { fp.Endpoint.Key, approved.Endpoint.Key }, new HashSet<string>());
        Assert.That(PlannedKeys(Policy, fp, approved, other), Has.Count.EqualTo(3));
        Assert.That(PlannedKeys(Policy.WithTriage(decisions), fp, approved, other), Is.EqualTo(new[] { other.Endpoint.Key }));
    }

    [Test]
    public void MarkedBlocked_IsPlannedEvenWhenTheSelectionPassesItOver()
    {
        var suspected = TestFindings.Shadow(null, null, "mcp.example.com", path: null, confidence: 0.2, verdict: Verdict.Suspected, hosts: "mcp.example.com");
        Assert.That(PlannedKeys(Policy, suspected), Is.Empty);
        var decisions = new TriageDecisions(new HashSet<string>(), new HashSet<string> { suspected.Endpoint.Key });
        Assert.That(PlannedKeys(Policy.WithTriage(decisions), suspected), Is.EqualTo(new[] { suspected.Endpoint.Key }));
    }

    [Test]
    public void PolicyFileExceptions_StillWinOverMarkedBlocked()
    {
        var f = TestFindings.Shadow("10.0.0.5", 8123, null);
        var policy = Policy with { Exceptions = Policy.Exceptions with { Findings = [f.Endpoint.Key] } };
        var decisions = new TriageDecisions(new HashSet<string>(), new HashSet<string> { f.Endpoint.Key });
        Assert.That(PlannedKeys(policy.WithTriage(decisions), f), Is.Empty);
    }
}
