using ShadowMcp.Tests;
using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// "Currently blocked" as the admin page shows it, folded from the action log of a real engine on two file
/// backends (a hosts file and a dnsmasq file, no reload): apply, rollback and expire rows in order, then checked
/// against what the files hold. Once per store engine.
/// </summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres, Category = ExternalTools.IntegrationCategory)]
public sealed class CurrentBlocksTests(StoreKind kind)
{
    private const string Policy = """
        ttl: 12h
        backends:
          - type: hosts
            path: $DIR/hosts
          - type: dnsmasq
            path: $DIR/dnsmasq.conf
        """;

    private Harness _h = null!;

    [SetUp]
    public void SetUp()
    {
        _h = new Harness(Policy, kind);
        File.WriteAllText(_h.PathIn("hosts"), "127.0.0.1 localhost\n");
    }

    [TearDown]
    public void TearDown() => _h.Dispose();

    private static Finding Rogue(string host) => TestFindings.Shadow(null, null, host);

    private Task<IReadOnlyList<CurrentBlock>> NowAsync() => CurrentBlocks.ComputeAsync(_h.Store, _h.Backends, CancellationToken.None);

    [Test]
    public async Task Apply_EachBackendHoldsTheNameWithItsActionAndTtl()
    {
        var run = await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);

        var blocked = await NowAsync();

        Assert.That(blocked.Select(b => (b.Backend, b.Entry.Key)), Is.EquivalentTo(new[] { ("hosts", "host:rogue.example"), ("dnsmasq", "host:rogue.example") }));
        foreach (var b in blocked)
        {
            Assert.That(b.ActionId, Is.EqualTo(run.Actions.Single(a => a.Backend == b.Backend).Id), b.Backend);
            Assert.That(b.Actor, Is.EqualTo("test-user"));
            Assert.That(b.Since, Is.EqualTo(_h.Time.Now.UtcDateTime));
            Assert.That(b.ExpiresAt, Is.EqualTo(_h.Time.Now.UtcDateTime.AddHours(12)));
            Assert.That(b.Verification, Is.EqualTo(BlockVerification.Held));
        }
    }

    [Test]
    public async Task RollbackOfTheApply_NothingIsBlockedAndBothActionsReadRolledBack()
    {
        var run = await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);
        var first = run.Actions.Min(a => a.Id);

        var back = await _h.Engine.RollbackAsync(first, CancellationToken.None);

        Assert.That(back.Failed, Is.False);
        Assert.That(await NowAsync(), Is.Empty);
        var undone = RolledBackActions.Find(_h.Store.LoadActionSummaries());
        Assert.That(undone.Keys, Is.EquivalentTo(run.Actions.Select(a => a.Id)), "rolling back the first action undoes the run on both backends");
    }

    [Test]
    public async Task RollbackOfALaterApply_KeepsTheEarlierBlockWithTheActionThatPutItThere()
    {
        var first = await _h.Engine.ApplyAsync([Rogue("one.example")], [], CancellationToken.None);
        _h.Time.Now += TimeSpan.FromHours(1);
        var second = await _h.Engine.ApplyAsync([Rogue("one.example"), Rogue("two.example")], [], CancellationToken.None);

        await _h.Engine.RollbackAsync(second.Actions.Min(a => a.Id), CancellationToken.None);

        var blocked = await NowAsync();
        Assert.That(blocked.Select(b => b.Entry.Target), Is.All.EqualTo("one.example"));
        Assert.That(blocked.Select(b => b.ActionId), Is.EquivalentTo(first.Actions.Select(a => (long?)a.Id)));
        var undone = RolledBackActions.Find(_h.Store.LoadActionSummaries());
        Assert.That(undone.Keys, Is.EquivalentTo(second.Actions.Select(a => a.Id)));
    }

    [Test]
    public async Task RollbackThenApplyAgain_TheNewApplyPutItBack()
    {
        var first = await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);
        await _h.Engine.RollbackAsync(first.Actions.Min(a => a.Id), CancellationToken.None);
        _h.Time.Now += TimeSpan.FromMinutes(5);

        var again = await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);

        var blocked = await NowAsync();
        Assert.That(blocked.Select(b => b.ActionId), Is.EquivalentTo(again.Actions.Select(a => (long?)a.Id)));
        Assert.That(blocked.Select(b => b.Since), Is.All.EqualTo(_h.Time.Now.UtcDateTime));
        Assert.That(RolledBackActions.Find(_h.Store.LoadActionSummaries()).Keys, Is.EquivalentTo(first.Actions.Select(a => a.Id)),
            "the new apply is not rolled back");
    }

    [Test]
    public async Task RollbackOfAnActionAlreadyRolledBack_IsRefusedNamingTheRollback()
    {
        var run = await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);
        var first = run.Actions.Min(a => a.Id);
        var back = await _h.Engine.RollbackAsync(first, CancellationToken.None);

        var ex = Assert.ThrowsAsync<BackendException>(() => _h.Engine.RollbackAsync(first, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"action {first} was already rolled back by action {back.Actions.Min(a => a.Id)}"));
        Assert.That(_h.Store.LoadActionSummaries().Count(a => a.Command == Commands.Rollback), Is.EqualTo(2), "nothing more was logged");
    }

    [Test]
    public async Task Expire_AfterTheTtl_TheBlockIsGone()
    {
        await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);
        _h.Time.Now += TimeSpan.FromHours(13);

        await _h.Engine.ExpireAsync([Rogue("rogue.example")], [], CancellationToken.None);

        Assert.That(await NowAsync(), Is.Empty);
    }

    [Test]
    public async Task HandEditedHostsFile_LineRemovedReadsMissingAndLineAddedReadsNotInLog()
    {
        await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);
        var hosts = _h.PathIn("hosts");
        var text = File.ReadAllText(hosts);
        // Someone edits the managed section by hand: the logged name goes, another one comes.
        File.WriteAllText(hosts, text.Replace("rogue.example", "other.example", StringComparison.Ordinal));

        var blocked = (await NowAsync()).Where(b => b.Backend == "hosts").ToList();

        Assert.That(blocked.Single(b => b.Entry.Target == "rogue.example").Verification, Is.EqualTo(BlockVerification.Missing));
        var stray = blocked.Single(b => b.Entry.Target == "other.example");
        Assert.That(stray.Verification, Is.EqualTo(BlockVerification.NotInLog));
        Assert.That(stray.ActionId, Is.Null);
    }

    [Test]
    public async Task DeletedDnsmasqFile_ReadsMissingThereAndHeldInTheHostsFile()
    {
        await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);
        File.Delete(_h.PathIn("dnsmasq.conf"));

        var blocked = await NowAsync();

        Assert.That(blocked.Single(b => b.Backend == "dnsmasq").Verification, Is.EqualTo(BlockVerification.Missing));
        Assert.That(blocked.Single(b => b.Backend == "hosts").Verification, Is.EqualTo(BlockVerification.Held));
    }

    [Test]
    public async Task BackendThatCannotBeRead_ShowsTheLogsViewUnverified()
    {
        await _h.Engine.ApplyAsync([Rogue("rogue.example")], [], CancellationToken.None);
        // The backend named "dnsmasq" is now one whose tool is missing, so reading it fails.
        _h.UsePolicy("""
            backends:
              - type: hosts
                path: $DIR/hosts
              - type: nftables
                name: dnsmasq
                command: [/nonexistent/bin/nft]
            """);

        var blocked = await NowAsync();

        var unread = blocked.Single(b => b.Backend == "dnsmasq");
        Assert.That(unread.Verification, Is.EqualTo(BlockVerification.Unverified));
        Assert.That(unread.Entry.Target, Is.EqualTo("rogue.example"), "the log's view is still shown");
        Assert.That(blocked.Single(b => b.Backend == "hosts").Verification, Is.EqualTo(BlockVerification.Held));
    }
}
