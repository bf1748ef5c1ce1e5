using ShadowMcp.Tests;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// An allow-list or portal name written in Unicode is carried on the wire in its ASCII (punycode) form, which is the
/// name a finding holds. A block on that name hits the sanctioned server, so the safety rules must see both forms as
/// one name.
/// </summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres, Category = ExternalTools.IntegrationCategory)]
public sealed class InternationalisedSanctionedNameTests(StoreKind kind)
{
    private const string Policy = """
        portal:
          url: https://pörtal.corp.example/
        allow:
          - host: bücher-mcp.corp.example
            reason: sanctioned upstream books
        ttl: 1h
        backends:
          - type: hosts
            path: $DIR/hosts
        """;

    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness(Policy, kind);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [TestCase("xn--bcher-mcp-q9a.corp.example", "sanctioned upstream books")]
    [TestCase("xn--prtal-jua.corp.example", "portal")]
    public void Apply_PunycodeFormOfASanctionedName_IsRejected(string wire, string reason)
    {
        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() =>
            _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, wire)], [], CancellationToken.None));

        Assert.That(ex!.Conflicts, Has.Some.Contain(reason));
        Assert.That(_h.Store.LoadActions(), Is.Empty);
        Assert.That(File.Exists(_h.PathIn("hosts")) ? File.ReadAllText(_h.PathIn("hosts")) : "", Does.Not.Contain(wire));
    }

    [Test]
    public void Apply_AnotherName_IsStillBlocked()
    {
        _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "xn--bcher-kva.rogue.example")], [], CancellationToken.None).GetAwaiter().GetResult();

        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Contain("xn--bcher-kva.rogue.example"));
    }
}
