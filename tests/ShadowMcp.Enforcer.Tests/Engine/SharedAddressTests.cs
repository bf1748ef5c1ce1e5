using ShadowMcp.Tests;
using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// A shadow MCP server, a sanctioned upstream of the portal and a plain web server on one address (real nft in
/// a namespace the test creates): the safety check runs on what each backend writes, after widening.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class SharedAddressTests
{
    private SharedServer _net = null!;
    private Harness _h = null!;

    [SetUp]
    public void SetUp()
    {
        ExternalTools.Require("apt-get install nftables iproute2 curl", "nft", "ip", "curl");
        _net = new SharedServer();
        _h = new Harness("backends: []");
    }

    [TearDown]
    public void TearDown()
    {
        _h?.Dispose();
        _net?.Dispose();
    }

    private Finding Shadow()
    {
        var f = TestFindings.Shadow(_net.Address, SharedServer.ShadowPort, "shadow.example", hosts: "shadow.example");
        // Names that only resolved to the shared address: the upstream's and the web server's.
        f.AddressNames.Add("upstream.corp.example");
        f.AddressNames.Add("www.example");
        return f;
    }

    private Finding Sanctioned() => TestFindings.Shadow(
        _net.Address, SharedServer.SanctionedPort, "upstream.corp.example", verdict: Verdict.Sanctioned, hosts: "upstream.corp.example");

    private void Policy(string scope, string allow) => _h.UsePolicy($"""
        portal:
          url: https://portal.corp.example/
        allow:
        {allow}
        backends:
          - type: nftables
            name: gw
            scope: {scope}
            command: {_net.NftCommand}
          - type: hosts
            path: $DIR/hosts
        """);

    private void AssertAllServicesReachable(string when)
    {
        Assert.That(_net.Reaches(SharedServer.ShadowPort), Is.True, $"shadow {when}");
        Assert.That(_net.Reaches(SharedServer.SanctionedPort), Is.True, $"sanctioned {when}");
        Assert.That(_net.Reaches(SharedServer.WebPort), Is.True, $"web {when}");
    }

    [TestCase("  - host: upstream.corp.example\n    reason: portal upstream", TestName = "ScopeAddress_HostNamedSanctioned_Refused")]
    [TestCase("  - address: ADDR\n    port: 8443\n    reason: portal upstream", TestName = "ScopeAddress_AddressPortSanctioned_Refused")]
    public void ScopeAddress_SharedWithSanctioned_IsRefusedNamingBackendAndUpstream(string allow)
    {
        Policy("address", allow.Replace("ADDR", _net.Address, StringComparison.Ordinal));

        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() =>
            _h.Engine.ApplyAsync([Shadow(), Sanctioned()], [], CancellationToken.None));

        Assert.That(ex!.Conflicts, Has.Some.StartsWith($"gw: addr:{_net.Address}").And.Contain("portal upstream"));
        Assert.That(ex.Conflicts, Has.None.StartsWith("hosts:"), "the hosts file only names shadow.example");
        AssertAllServicesReachable("after the refused apply");
        Assert.That(_h.Store.LoadActions(), Is.Empty);
    }

    [Test]
    public async Task AddressPortScope_HostNamedSanctioned_BlocksOnlyTheShadowAndNeverDropsTheUpstream()
    {
        Policy("address-port", "  - host: upstream.corp.example\n    reason: portal upstream");
        AssertAllServicesReachable("before");

        // Probe the sanctioned service from the client for the whole apply: not one request may fail.
        using var stop = new CancellationTokenSource();
        var probe = Task.Run(() =>
        {
            var (ok, failed) = (0, 0);
            do
            {
                if (_net.Reaches(SharedServer.SanctionedPort)) ok++;
                else failed++;
            } while (!stop.IsCancellationRequested);
            return (ok, failed);
        });
        var report = await _h.Engine.ApplyAsync([Shadow(), Sanctioned()], [], CancellationToken.None);
        await stop.CancelAsync();
        var (ok, failed) = await probe;

        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(failed, Is.Zero, $"{failed} of {ok + failed} requests to the sanctioned upstream failed during apply");
        Assert.That(ok, Is.GreaterThan(0));
        Assert.That(_net.Reaches(SharedServer.ShadowPort), Is.False, "the shadow port is blocked");
        Assert.That(_net.Reaches(SharedServer.SanctionedPort), Is.True);
        Assert.That(_net.Reaches(SharedServer.WebPort), Is.True);
        var hosts = File.ReadAllText(_h.PathIn("hosts"));
        Assert.That(hosts, Does.Contain("shadow.example").And.Not.Contain("upstream.corp.example").And.Not.Contain("www.example"));
    }

    [Test]
    public async Task ScopeAddress_NoSanctioned_PlanShowsCollateralAndApplyNeedsTheFlag()
    {
        Policy("address", "  - host: unrelated.corp.example");

        var plan = await _h.Engine.PlanAsync([Shadow()], [], CancellationToken.None);
        var collateral = plan.Backends.Single(b => b.Backend == "gw").Collateral.Single();
        Assert.That(collateral.Entry, Is.EqualTo($"addr:{_net.Address}"));
        Assert.That(collateral.Others, Is.EqualTo(new[] { "name upstream.corp.example", "name www.example" }));
        Assert.That(plan.Backends.Single(b => b.Backend == "hosts").Collateral, Is.Empty);

        var refused = Assert.ThrowsAsync<CollateralException>(() => _h.Engine.ApplyAsync([Shadow()], [], CancellationToken.None));
        Assert.That(refused!.Items.Single(), Does.Contain("2 other known service(s)"));
        AssertAllServicesReachable("after the refused apply");

        _h.AllowCollateral();
        var report = await _h.Engine.ApplyAsync([Shadow()], [], CancellationToken.None);
        Assert.That(report.Failed, Is.False);
        Assert.That(_net.Reaches(SharedServer.WebPort), Is.False, "accepted collateral: the whole address is dropped");
    }
}
