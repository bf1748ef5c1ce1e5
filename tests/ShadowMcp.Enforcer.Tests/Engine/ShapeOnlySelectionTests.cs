using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// A shape-only finding (the encrypted flows' shape, nothing read, no name) is a lead: the default policy plans no
/// block for it and says so; a name or content beside the shape, a policy that lists <c>shape</c> in
/// <c>select.bases</c>, or a triage decision blocks it.
/// </summary>
public sealed class ShapeOnlySelectionTests
{
    private const string Backends = """
        backends:
          - type: hosts
            path: $DIR/hosts
        """;

    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness(Backends);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task Plan_DefaultPolicy_ShapeOnlyShadowIsNotBlockedAndIsListedAsPassedOver()
    {
        var plan = await _h.Engine.PlanAsync(
            [TestFindings.ShapeShadow("198.51.100.7", 443), TestFindings.Shadow("203.0.113.5", 3000, "rogue.example")], [], CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Entries.SelectMany(e => e.Findings), Has.None.EqualTo("198.51.100.7:443"));
            Assert.That(plan.Entries.Select(e => e.Entry.Key), Does.Contain("addr:203.0.113.5:3000"), "content findings are still blocked");
            Assert.That(plan.PassedOver.Select(p => (p.Finding, string.Join(' ', p.Bases))),
                Is.EqualTo(new[] { ("198.51.100.7:443", "shape") }));
        });
    }

    [Test]
    public async Task Plan_ShapeOnlyFindingWhoseAddressAnotherFindingBlocks_IsNotListedAsNotBlocked()
    {
        // The same server seen in the clear by one client and only as encrypted flows by others: the content finding's
        // address entry drops the shape finding's traffic too, so "not blocked" would be false.
        var plan = await _h.Engine.PlanAsync(
            [TestFindings.ShapeShadow("203.0.113.5", 3000), TestFindings.Shadow("203.0.113.5", 3000, "rogue.example")], [], CancellationToken.None);

        Assert.That(plan.Entries.Select(e => e.Entry.Key), Does.Contain("addr:203.0.113.5:3000"));
        Assert.That(plan.PassedOver, Is.Empty);
    }

    [Test]
    public async Task BlockState_ShapeOnlyFindingWhoseNameAnotherFindingBlocks_IsBlocked()
    {
        // The shape finding's flows sent the SNI rogue.example; the content finding's name entry is held for it too.
        var shape = TestFindings.ShapeShadow("198.51.100.7", 443);
        shape.Hosts.Add("rogue.example");
        IReadOnlyList<ShadowMcp.Core.Findings.Finding> findings = [shape, TestFindings.Shadow(null, null, "rogue.example")];
        _h.AllowCollateral(); // the plan names the shape finding's server as what the name entry also reaches
        var run = await _h.Engine.ApplyAsync(findings, [], CancellationToken.None);
        Assert.That(run.Failed, Is.False);

        var states = EndpointBlockStates.Compute([shape.Endpoint.Key], DesiredStateBuilder.ForBlockState(findings, _h.Policy),
            _h.Backends, _h.Store.GetApplied);

        Assert.That(states[shape.Endpoint.Key].Kind, Is.EqualTo(EndpointBlockKind.Blocked), "the hosts file holds its name");
        Assert.That(DesiredStateBuilder.Build(findings, _h.Policy).SelectMany(p => p.Findings), Has.None.EqualTo(shape.Endpoint.Key),
            "the plan itself still names only the finding that calls for the entry (its TTL is renewed by that one)");
    }

    [TestCase("mcp-known-host-tls", "name")]
    [TestCase("mcp-initialize-request", "content")]
    public async Task Plan_ShapeBesideOtherEvidence_IsBlocked(string rule, string basis)
    {
        var finding = TestFindings.ShapeShadow("198.51.100.7", 443, alsoRule: rule);

        var plan = await _h.Engine.PlanAsync([finding], [], CancellationToken.None);

        Assert.That(plan.Entries.Select(e => e.Entry.Key), Is.EqualTo(new[] { "addr:198.51.100.7:443" }), $"{basis} beside shape");
        Assert.That(plan.PassedOver, Is.Empty);
    }

    [Test]
    public async Task Plan_PolicyListingShape_BlocksShapeOnlyFindings()
    {
        _h.UsePolicy("select:\n  bases: [shape]\n" + Backends);

        var plan = await _h.Engine.PlanAsync(
            [TestFindings.ShapeShadow("198.51.100.7", 443), TestFindings.Shadow("203.0.113.5", 3000, "rogue.example")], [], CancellationToken.None);

        Assert.That(plan.Entries.Select(e => e.Entry.Key), Is.EqualTo(new[] { "addr:198.51.100.7:443" }),
            "only shape is listed, so the content finding is the one passed over");
        Assert.That(plan.PassedOver.Select(p => p.Finding), Is.EqualTo(new[] { "203.0.113.5:3000/mcp" }));
    }

    [Test]
    public async Task Plan_TriageBlockedShapeOnlyFinding_IsBlocked()
    {
        var policy = _h.Policy.WithTriage(new ShadowMcp.Core.Triage.TriageDecisions(
            NeverBlock: new HashSet<string>(), Block: new HashSet<string> { "198.51.100.7:443" }));
        var engine = new EnforcementEngine(_h.Store, policy, _h.Backends, _h.Time, "test-user");

        var plan = await engine.PlanAsync([TestFindings.ShapeShadow("198.51.100.7", 443)], [], CancellationToken.None);

        Assert.That(plan.Entries.Select(e => e.Entry.Key), Is.EqualTo(new[] { "addr:198.51.100.7:443" }), "a person decided");
        Assert.That(plan.PassedOver, Is.Empty);
    }
}
