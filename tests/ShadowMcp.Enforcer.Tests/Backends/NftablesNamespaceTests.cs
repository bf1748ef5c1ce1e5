using ShadowMcp.Tests;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>
/// Real nftables in throw-away network namespaces: a client namespace reaches an MCP server in a server
/// namespace before apply, not after, while the portal address stays reachable; rollback restores reachability.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class NftablesNamespaceTests
{
    private TwoNamespaces _ns = null!;
    private Harness _h = null!;

    [SetUp]
    public void SetUp()
    {
        ExternalTools.Require("apt-get install nftables iproute2", "nft", "ip");
        _ns = new TwoNamespaces();
        _h = new Harness(Policy("drop"));
    }

    [TearDown]
    public void TearDown()
    {
        _h?.Dispose();
        _ns?.Dispose();
    }

    private string Policy(string action) => $"""
        portal:
          url: http://{_ns.PortalAddress}:8080/
          addresses: [{_ns.PortalAddress}]
        backends:
          - type: nftables
            name: fw
            action: {action}
            command: [ip, netns, exec, {_ns.Client}, nft]
        """;

    private Core.Findings.Finding ShadowFinding() => TestFindings.Shadow(_ns.ShadowAddress, 8080, null);

    [Test]
    public async Task Apply_ShadowServer_BlocksItKeepsPortalAndRollbackRestores()
    {
        Assert.That(_ns.CanReach(_ns.ShadowAddress), Is.True, "reachable before apply");

        var report = await _h.Engine.ApplyAsync([ShadowFinding()], [], CancellationToken.None);

        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(_ns.CanReach(_ns.ShadowAddress), Is.False, "shadow server blocked");
        Assert.That(_ns.CanReach(_ns.PortalAddress), Is.True, "portal stays reachable");
        var listed = Sh.Check("ip", "netns", "exec", _ns.Client, "nft", "list", "table", "inet", "shadowmcp");
        Assert.That(listed, Does.Contain($"{_ns.ShadowAddress} . 8080"));

        var back = await _h.Engine.RollbackAsync(null, CancellationToken.None);

        Assert.That(back.Failed, Is.False);
        Assert.That(_ns.CanReach(_ns.ShadowAddress), Is.True, "reachable after rollback");
        Assert.That(Sh.Run("ip", "netns", "exec", _ns.Client, "nft", "list", "table", "inet", "shadowmcp").Code, Is.Not.Zero,
            "rollback to the state before the first apply removes the table entirely");
    }

    [Test]
    public async Task Apply_Twice_SecondRunChangesNothing()
    {
        var first = await _h.Engine.ApplyAsync([ShadowFinding()], [], CancellationToken.None);
        var second = await _h.Engine.ApplyAsync([ShadowFinding()], [], CancellationToken.None);

        Assert.That(first.Changed, Is.True);
        Assert.That(second.Changed, Is.False);
        Assert.That(second.Actions, Is.Empty);
        Assert.That(second.Unchanged, Is.EqualTo(new[] { "fw" }));
        var log = _h.Store.LoadActions();
        Assert.That(log, Has.Count.EqualTo(1));
        Assert.That(log[0].Actor, Is.EqualTo("test-user"));
        Assert.That(log[0].Command, Is.EqualTo("apply"));
        Assert.That(EntryJson.Read(log[0].AddedJson).Single(), Is.EqualTo(new BlockEntry(BlockKind.AddressPort, _ns.ShadowAddress, 8080, null, "drop")));
    }

    [Test]
    public async Task Apply_ResetAction_RefusesConnectionsFast()
    {
        _h.UsePolicy(Policy("reset"));

        await _h.Engine.ApplyAsync([ShadowFinding()], [], CancellationToken.None);

        // curl exit 7 = could not connect (RST), rather than 28 = timed out (silent drop).
        Assert.That(_ns.ConnectExitCode(_ns.ShadowAddress), Is.EqualTo(7));
        Assert.That(_ns.CanReach(_ns.PortalAddress), Is.True);
    }

    [Test]
    public async Task Rollback_ToActionId_RestoresStateBeforeThatAction()
    {
        var other = TestFindings.Shadow("10.213.250.9", 443, null);
        var first = await _h.Engine.ApplyAsync([ShadowFinding()], [], CancellationToken.None);
        var second = await _h.Engine.ApplyAsync([ShadowFinding(), other], [], CancellationToken.None);
        var before = await _h.Backends[0].ReadAsync(CancellationToken.None);
        Assert.That(before, Has.Count.EqualTo(2));

        await _h.Engine.RollbackAsync(second.Actions.Single().Id, CancellationToken.None);

        var after = await _h.Backends[0].ReadAsync(CancellationToken.None);
        Assert.That(after, Is.EquivalentTo(EntryJson.Read(first.Actions.Single().AfterJson)));
        Assert.That(_ns.CanReach(_ns.ShadowAddress), Is.False, "the first block is still there");
    }
}
