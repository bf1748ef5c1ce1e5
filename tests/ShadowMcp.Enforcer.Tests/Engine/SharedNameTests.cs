using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>Names on a shared address: only names a finding's flows used are blocked, and never a sanctioned one.</summary>
public sealed class SharedNameTests
{
    private const string Policy = """
        allow:
          - address: 10.77.2.10
            port: 8443
            reason: portal upstream
        exceptions:
          hosts: [excepted.example]
        backends:
          - type: hosts
            path: $DIR/hosts
          - type: unbound
            path: $DIR/unbound.conf
            reload: []
          - type: rpz
            path: $DIR/shadowmcp.rpz
          - type: nftables
            name: fw
            command: [/nonexistent/bin/nft]
        """;

    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness(Policy);

    [TearDown]
    public void TearDown() => _h.Dispose();

    private static Finding Upstream() =>
        TestFindings.Shadow("10.77.2.10", 8443, "upstream.corp.example", verdict: Verdict.Sanctioned, hosts: "upstream.corp.example");

    [Test]
    public async Task Plan_AddressNamesOfTheShadow_AreNotTargets()
    {
        var shadow = TestFindings.Shadow("10.77.2.10", 3000, "shadow.example", hosts: "shadow.example");
        shadow.AddressNames.UnionWith(["upstream.corp.example", "www.example"]);

        var plan = await _h.Engine.PlanAsync([shadow, Upstream()], [], CancellationToken.None);

        foreach (var b in plan.Backends.Where(b => b.Backend != "fw"))
            Assert.That(b.Desired.Select(e => e.Target), Is.EqualTo(new[] { "shadow.example" }), b.Backend);
        Assert.That(plan.Backends.Single(b => b.Backend == "fw").Desired.Single().Key, Is.EqualTo("addr:10.77.2.10:3000"));
    }

    [Test]
    public void Plan_ShadowUsingANameThatResolvesToTheSanctionedUpstream_IsRefusedPerBackend()
    {
        // The shadow was reached by the upstream's own name (another port of the same virtual host).
        var shadow = TestFindings.Shadow("10.77.2.10", 3000, "upstream.corp.example", hosts: "upstream.corp.example");

        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() => _h.Engine.PlanAsync([shadow, Upstream()], [], CancellationToken.None));

        foreach (var backend in new[] { "hosts", "unbound", "rpz" })
            Assert.That(ex!.Conflicts, Has.Some.StartsWith($"{backend}: host:upstream.corp.example").And.Contain("resolves to it"));
        Assert.That(ex!.Conflicts, Has.None.StartsWith("fw:"), "port 3000 is not the upstream's port");
    }

    [Test]
    public async Task Plan_ExceptedHost_IsNotWrittenAndDoesNotRefuse()
    {
        _h.UsePolicy(Policy.Replace("excepted.example", "upstream.corp.example", StringComparison.Ordinal));
        var shadow = TestFindings.Shadow("10.77.2.10", 3000, "upstream.corp.example", hosts: "upstream.corp.example");

        var plan = await _h.Engine.PlanAsync([shadow, Upstream()], [], CancellationToken.None);

        Assert.That(plan.Entries.Select(e => e.Entry.Key), Is.EqualTo(new[] { "addr:10.77.2.10:3000" }));
    }

    [Test]
    public void Plan_SquidPathScope_ConnectReachesTheWholeHost()
    {
        _h.UsePolicy("""
            allow:
              - host: api.corp.example
                path: /v1
                reason: sanctioned API on the same host
            backends:
              - type: squid
                path: $DIR/squid.conf
                reconfigure: []
            """);

        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() =>
            _h.Engine.PlanAsync([TestFindings.Shadow(null, null, "api.corp.example", path: "/mcp")], [], CancellationToken.None));

        Assert.That(ex!.Conflicts.Single(), Does.StartWith("squid: host:api.corp.example/mcp (reaches api.corp.example)"));
    }
}
