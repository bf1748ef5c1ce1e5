using ShadowMcp.Tests;
using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>Real nft in an empty namespace: every set kind is written in one transaction and read back exactly.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class NftablesStateTests
{
    private string _ns = "";
    private Harness _h = null!;

    [SetUp]
    public void SetUp()
    {
        ExternalTools.Require("apt-get install nftables iproute2", "nft", "ip");
        _ns = $"smcp-{Random.Shared.Next(0x1000, 0xFFFF):x4}-n";
        Sh.Check("ip", "netns", "add", _ns);
        _h = new Harness($"""
            backends:
              - type: nftables
                action: reset
                command: [ip, netns, exec, {_ns}, nft]
            """);
    }

    [TearDown]
    public void TearDown()
    {
        _h?.Dispose();
        Sh.Run("ip", "netns", "del", _ns);
    }

    [Test]
    public async Task Apply_Ipv4AndIpv6AddressesAndPairs_ReadBackExactly()
    {
        var backend = _h.Backends[0];
        BlockEntry[] state =
        [
            new(BlockKind.Address, "198.51.100.7", null, null, "reset"),
            new(BlockKind.AddressPort, "203.0.113.5", 3000, null, "reset"),
            new(BlockKind.Address, "2001:db8::7", null, null, "drop"),
            new(BlockKind.AddressPort, "2001:db8:0:0::5", 8443, null, "drop"),
        ];

        await backend.ApplyAsync(state, CancellationToken.None);
        var back = await backend.ReadAsync(CancellationToken.None);

        Assert.That(back, Is.EquivalentTo(state.Select(e => e with { Target = System.Net.IPAddress.Parse(e.Target).ToString() })));
        var listing = Sh.Check("ip", "netns", "exec", _ns, "nft", "list", "table", "inet", "shadowmcp");
        Assert.That(listing, Does.Contain("reject with tcp reset").And.Contain("ip6 daddr . tcp dport @v6_port_drop drop"));

        await backend.ApplyAsync([], CancellationToken.None);
        Assert.That(await backend.ReadAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Apply_ScopeAddress_BlocksWholeAddressWithConfiguredAction()
    {
        _h.UsePolicy($"""
            backends:
              - type: nftables
                action: drop
                scope: address
                command: [ip, netns, exec, {_ns}, nft]
            """);

        Finding[] findings = [TestFindings.Shadow("2001:DB8::5", 8443, null), TestFindings.Shadow("2001:db8::5", 9000, null)];
        var refused = Assert.ThrowsAsync<CollateralException>(() => _h.Engine.ApplyAsync(findings, [], CancellationToken.None));
        Assert.That(refused!.Items, Has.Some.Contain("every port of 2001:db8::5"), "widening to the whole address needs the flag");
        Assert.That(await _h.Backends[0].ReadAsync(CancellationToken.None), Is.Empty);

        _h.AllowCollateral();
        await _h.Engine.ApplyAsync(findings, [], CancellationToken.None);

        Assert.That(await _h.Backends[0].ReadAsync(CancellationToken.None),
            Is.EqualTo(new[] { new BlockEntry(BlockKind.Address, "2001:db8::5", null, null, "drop") }));
    }

    [Test]
    public async Task Apply_OtherTablesInTheNamespace_AreLeftAlone()
    {
        Sh.Check("ip", "netns", "exec", _ns, "nft", "add", "table", "inet", "admin_rules");

        await _h.Engine.ApplyAsync([TestFindings.Shadow("203.0.113.5", 3000, null)], [], CancellationToken.None);
        await _h.Engine.RollbackAsync(null, CancellationToken.None);

        Assert.That(Sh.Check("ip", "netns", "exec", _ns, "nft", "list", "tables"), Does.Contain("table inet admin_rules").And.Not.Contain("shadowmcp"));
    }
}
