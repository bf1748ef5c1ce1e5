using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// Per finding endpoint: blocked, pending or not blockable, against the backends a policy configures. An
/// address-only endpoint under DNS backends used to read "pending" for ever.
/// </summary>
public sealed class EndpointBlockStatesTests
{
    private const string NamesOnly = """
        backends:
          - type: hosts
            path: $DIR/hosts
          - type: dnsmasq
            path: $DIR/dnsmasq.conf
        """;

    private static readonly PlannedEntry Name = new(new BlockEntry(BlockKind.Host, "rogue.example", null, null, BlockActions.Block), ["ep-name"]);
    private static readonly PlannedEntry Address = new(new BlockEntry(BlockKind.AddressPort, "10.9.8.7", 8123, null, BlockActions.Drop), ["ep-address"]);

    [Test]
    public void NamesOnlyBackends_AddressEndpointIsNotBlockableAndSaysWhichBackendsCould()
    {
        using var h = new Harness(NamesOnly);

        var states = EndpointBlockStates.Compute(["ep-name", "ep-address", "ep-other"], [Name, Address], h.Backends, _ => []);

        Assert.That(states["ep-name"].Kind, Is.EqualTo(EndpointBlockKind.Pending));
        Assert.That(states["ep-address"].Kind, Is.EqualTo(EndpointBlockKind.NotBlockable));
        Assert.That(states["ep-address"].CouldBlock, Is.EqualTo(new[] { "nftables", "webhook" }));
        Assert.That(states["ep-other"].Kind, Is.EqualTo(EndpointBlockKind.NotSelected));
    }

    [Test]
    public void HeldOnOneBackend_IsBlockedThereOnly()
    {
        using var h = new Harness(NamesOnly);

        var states = EndpointBlockStates.Compute(["ep-name"], [Name], h.Backends, b => b == "dnsmasq" ? [Name.Entry] : []);

        Assert.That(states["ep-name"].Kind, Is.EqualTo(EndpointBlockKind.Blocked));
        Assert.That(states["ep-name"].Backends, Is.EqualTo(new[] { "dnsmasq" }));
    }

    [Test]
    public void NftablesWithAddressScope_HoldingTheWholeAddress_CountsAsBlockingTheAddressAndPort()
    {
        using var h = new Harness("""
            backends:
              - type: nftables
                name: fw
                command: [/nonexistent/bin/nft]
                scope: address
            """);
        // nftables with address scope writes "addr:10.9.8.7" for the planned "addr:10.9.8.7:8123".
        var written = new BlockEntry(BlockKind.Address, "10.9.8.7", null, null, BlockActions.Drop);

        var states = EndpointBlockStates.Compute(["ep-address"], [Address], h.Backends, _ => [written]);

        Assert.That(states["ep-address"].Kind, Is.EqualTo(EndpointBlockKind.Blocked));
        Assert.That(states["ep-address"].Backends, Is.EqualTo(new[] { "fw" }));
    }

    /// <summary>The table of which types block what agrees with every backend's own Select.</summary>
    [Test]
    public void BackendKinds_AgreesWithEachBackendsSelect()
    {
        using var h = new Harness("""
            backends:
              - type: nftables
                command: [/nonexistent/bin/nft]
              - type: unbound
                path: $DIR/unbound.conf
                reload: []
              - type: rpz
                path: $DIR/shadowmcp.rpz
              - type: dnsmasq
                path: $DIR/dnsmasq.conf
              - type: hosts
                path: $DIR/hosts
              - type: webhook
                url: http://127.0.0.1:9/hook
              - type: squid
                path: $DIR/squid.acl
                reconfigure: []
            """);
        IReadOnlyList<IEnforcementBackend> all =
            [.. h.Backends, new CloudflareGatewayBackend("cloudflare", new Uri("http://127.0.0.1:9/"), "acct", "unused", null)];
        var samples = new[]
        {
            new BlockEntry(BlockKind.Address, "10.9.8.7", null, null, BlockActions.Drop),
            new BlockEntry(BlockKind.AddressPort, "10.9.8.7", 8123, null, BlockActions.Drop),
            new BlockEntry(BlockKind.Host, "rogue.example", null, null, BlockActions.Block),
            new BlockEntry(BlockKind.HostPath, "rogue.example", null, "/mcp", BlockActions.Block),
        };
        Assert.That(all.Select(b => b.Name), Is.EquivalentTo(new[] { "nftables", "unbound", "rpz", "dnsmasq", "hosts", "webhook", "squid", "cloudflare" }),
            "every backend type is covered (policy names default to the type)");
        foreach (var sample in samples)
        {
            var selecting = all.Where(b => b.Select([sample]).Count > 0).Select(b => b.Name);
            Assert.That(selecting, Is.EquivalentTo(BackendKinds.TypesThatBlock(sample.Kind)), sample.Kind.ToString());
        }
    }

    [Test]
    public async Task PlanEndpoints_OneServerByAddressAndName_IsOneEndpointBehindEveryRule()
    {
        using var h = new Harness("""
            backends:
              - type: nftables
                name: fw
                command: [/nonexistent/bin/nft]
                scope: address
              - type: hosts
                path: $DIR/hosts
            """);
        var server = TestFindings.Shadow("10.9.8.7", 8123, "rogue.example", hosts: "rogue.example");

        var plan = await h.Engine.PlanAsync([server], [], CancellationToken.None);
        var endpoints = PlanEndpoints.Of(plan, h.Engine.Backends);

        Assert.That(endpoints.Keys, Is.EquivalentTo(new[] { ("fw", "addr:10.9.8.7"), ("hosts", "host:rogue.example") }),
            "each backend's rule in the form it writes it");
        Assert.That(endpoints.Values, Is.All.EqualTo(new[] { server.Endpoint.Key }));
    }
}
