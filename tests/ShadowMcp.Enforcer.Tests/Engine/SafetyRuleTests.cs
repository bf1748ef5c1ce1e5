using ShadowMcp.Tests;
using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>The safety rules from the spec, on file backends that need no daemon; once per store engine.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres, Category = ExternalTools.IntegrationCategory)]
public sealed class SafetyRuleTests(StoreKind kind)
{
    private const string TwoFileBackends = """
        portal:
          url: https://portal.corp.example/
          addresses: [10.9.0.10]
        allow:
          - host: github-mcp.corp.example
            reason: sanctioned upstream github
        ttl: 1h
        backends:
          - type: hosts
            path: $DIR/hosts
          - type: dnsmasq
            path: $DIR/dnsmasq.conf
        """;

    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness(TwoFileBackends, kind);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public void Plan_FindingOnPortalAddress_IsRejectedNamingThePortalAndTheBackend()
    {
        _h.UsePolicy(TwoFileBackends + """

              - type: nftables
                name: fw
                command: [/nonexistent/bin/nft]
            """);
        Finding[] findings = [TestFindings.Shadow("10.9.0.10", 8443, null), TestFindings.Shadow(null, null, "rogue.example")];

        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() => _h.Engine.PlanAsync(findings, [], CancellationToken.None));

        Assert.That(ex!.Conflicts, Has.Some.StartsWith("fw: addr:10.9.0.10:8443").And.Some.Contain("portal"));
        Assert.That(File.Exists(_h.PathIn("hosts")), Is.False, "nothing was written");
    }

    [Test]
    public void Apply_ParentDomainOfSanctionedHost_IsRejectedNamingIt()
    {
        // Blocking corp.example in DNS would also take out github-mcp.corp.example.
        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() =>
            _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "corp.example")], [], CancellationToken.None));

        Assert.That(ex!.Conflicts, Has.Some.Contain("github-mcp.corp.example").And.Some.Contain("sanctioned upstream github"));
        Assert.That(_h.Store.LoadActions(), Is.Empty);
    }

    [Test]
    public void Plan_HostOnAllowListPassedFromPortal_IsRejected()
    {
        SanctionedEndpoint[] registry = [new("*.tools.example", null, null, null, "portal upstream 'tools'")];

        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() =>
            _h.Engine.PlanAsync([TestFindings.Shadow(null, null, "jira.tools.example")], registry, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("jira.tools.example").And.Contain("portal upstream 'tools'"));
    }

    [Test]
    public async Task Apply_OneBackendFails_OthersStillApplyAndFailureIsReported()
    {
        // A directory where the dnsmasq file should be makes that backend fail.
        Directory.CreateDirectory(_h.PathIn("dnsmasq.conf"));

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);

        Assert.That(report.Failed, Is.True);
        var failed = report.Actions.Single(a => a.Result == ActionResults.Failed);
        Assert.That(failed.Backend, Is.EqualTo("dnsmasq"));
        Assert.That(failed.Error, Is.Not.Empty);
        Assert.That(report.Actions.Single(a => a.Backend == "hosts").Result, Is.EqualTo(ActionResults.Ok));
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Contain("0.0.0.0 rogue.example"));
    }

    [Test]
    public async Task Apply_MissingTool_ReportsDebianPackage()
    {
        _h.UsePolicy("""
            backends:
              - type: nftables
                command: [/nonexistent/bin/nft]
              - type: hosts
                path: $DIR/hosts
            """);

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow("203.0.113.7", 443, "rogue.example")], [], CancellationToken.None);

        var nft = report.Actions.Single(a => a.Backend == "nftables");
        Assert.That(nft.Result, Is.EqualTo(ActionResults.Failed));
        Assert.That(nft.Error, Does.Contain("apt-get install nftables"));
        Assert.That(nft.StateKnown, Is.False);
        Assert.That(report.Actions.Single(a => a.Backend == "hosts").Result, Is.EqualTo(ActionResults.Ok));

        // The nftables row never saw the real state, so rollback must not "restore" an empty table from it.
        var back = await _h.Engine.RollbackAsync(report.Actions.Min(a => a.Id), CancellationToken.None);
        Assert.That(back.Actions.Select(a => a.Backend), Is.EqualTo(new[] { "hosts" }));
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Not.Contain("rogue.example"));
    }

    [TestCase("unbound", "unbound-control", "unbound")]
    [TestCase("squid", "squid", "squid")]
    public async Task Apply_MissingReloadTool_ReportsDebianPackageAndKeepsOldFile(string type, string tool, string package)
    {
        var key = type == "squid" ? "reconfigure" : "reload";
        _h.UsePolicy($"""
            backends:
              - type: {type}
                path: $DIR/include.conf
                {key}: [/nonexistent/bin/{tool}, reload]
            """);

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);

        Assert.That(report.Actions.Single().Error, Does.Contain($"apt-get install {package}"));
        Assert.That(File.Exists(_h.PathIn("include.conf")), Is.False, "the file that did not exist before is removed again");
    }

    [Test]
    public async Task Expire_AfterTtl_UnblocksAndRecordsIt()
    {
        var finding = TestFindings.Shadow(null, null, "rogue.example");
        await _h.Engine.ApplyAsync([finding], [], CancellationToken.None);
        Assert.That(File.ReadAllText(_h.PathIn("dnsmasq.conf")), Does.Contain("address=/rogue.example/"));

        _h.Time.Now += TimeSpan.FromMinutes(30);
        var early = await _h.Engine.ExpireAsync([finding], [], CancellationToken.None);
        Assert.That(early.Actions, Is.Empty, "nothing is due before the TTL");

        _h.Time.Now += TimeSpan.FromMinutes(31);
        var due = await _h.Engine.ExpireAsync([finding], [], CancellationToken.None);

        Assert.That(File.ReadAllText(_h.PathIn("dnsmasq.conf")), Does.Not.Contain("rogue.example"));
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Not.Contain("rogue.example"));
        var ttl = due.Actions.Single(a => a.Backend == Commands.TtlBackend);
        Assert.That(ttl.Command, Is.EqualTo(Commands.Expire));
        Assert.That(ttl.RemovedJson, Does.Contain("host:rogue.example"));
        Assert.That(due.Actions.Where(a => a.Backend != Commands.TtlBackend).Select(a => a.Command), Is.All.EqualTo(Commands.Expire));
        Assert.That(_h.Store.Context.TtlEntries.Single(t => t.EntryKey == "host:rogue.example").ExpiredAt, Is.EqualTo(_h.Time.Now.UtcDateTime));

        var again = await _h.Engine.ApplyAsync([finding], [], CancellationToken.None);
        Assert.That(again.Changed, Is.False, "an expired entry stays lifted while the finding is not seen again");
    }

    [Test]
    public async Task Apply_ExpiredFindingSeenAgain_BlocksAgainWithFreshTtl()
    {
        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);
        _h.Time.Now += TimeSpan.FromHours(2);
        await _h.Engine.ExpireAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);

        var seenAgain = TestFindings.Shadow(null, null, "rogue.example", lastSeen: _h.Time.Now.UtcDateTime.AddMinutes(5));
        var report = await _h.Engine.ApplyAsync([seenAgain], [], CancellationToken.None);

        Assert.That(report.Changed, Is.True);
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Contain("rogue.example"));
        var row = _h.Store.Context.TtlEntries.Single(t => t.EntryKey == "host:rogue.example");
        Assert.That(row.ExpiredAt, Is.Null);
        Assert.That(row.ExpiresAt, Is.EqualTo(_h.Time.Now.UtcDateTime.AddHours(1)));
    }

    [Test]
    public async Task Rollback_AfterTwoApplies_RestoresEachEarlierStateExactly()
    {
        File.WriteAllText(_h.PathIn("hosts"), "127.0.0.1 localhost\n");
        var one = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "a.example")], [], CancellationToken.None);
        var afterOne = File.ReadAllText(_h.PathIn("hosts"));
        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "b.example")], [], CancellationToken.None);
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Contain("b.example").And.Not.Contain("a.example"));

        await _h.Engine.RollbackAsync(null, CancellationToken.None);
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Is.EqualTo(afterOne));

        await _h.Engine.RollbackAsync(one.Actions.Min(a => a.Id), CancellationToken.None);
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Is.EqualTo("127.0.0.1 localhost\n"));
        var log = _h.Store.LoadActions();
        Assert.That(log.Count(a => a.Command == Commands.Rollback), Is.EqualTo(4));
    }

    [TestCase("127.0.0.1 localhost", TestName = "Rollback_HostsFileWithoutFinalNewline_ByteExact")]
    [TestCase("\uFEFF127.0.0.1 localhost\r\n\n\n# trailing blank lines above\r\n", TestName = "Rollback_HostsFileWithBomCrlfAndBlankLines_ByteExact")]
    public async Task Rollback_HostsFile_IsByteExact(string original)
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Length > 0 && original.StartsWith('\uFEFF')
            ? [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(original[1..])]
            : System.Text.Encoding.UTF8.GetBytes(original);
        File.WriteAllBytes(_h.PathIn("hosts"), bytes);

        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Does.Contain("0.0.0.0 rogue.example"));
        await _h.Engine.RollbackAsync(null, CancellationToken.None);

        Assert.That(File.ReadAllBytes(_h.PathIn("hosts")), Is.EqualTo(bytes));
        Assert.That(File.Exists(_h.PathIn("dnsmasq.conf")), Is.False, "an owned file that did not exist is gone again");
    }

    [Test]
    public void Rollback_UnknownActionId_SaysSo()
    {
        var ex = Assert.ThrowsAsync<BackendException>(() => _h.Engine.RollbackAsync(999, CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("999"));
    }

    [Test]
    public async Task Plan_Exceptions_SkipExcludedHostsCidrsAndFindings()
    {
        _h.UsePolicy("""
            exceptions:
              hosts: ["*.lab.example"]
              cidrs: [192.0.2.0/24]
              findings: ["198.51.100.9:8080/mcp"]
            select:
              min_confidence: 0.8
              min_level: high
            backends:
              - type: hosts
                path: $DIR/hosts
              - type: nftables
                command: [/nonexistent/bin/nft]
            """);
        Finding[] findings =
        [
            TestFindings.Shadow(null, null, "x.lab.example"),
            TestFindings.Shadow("192.0.2.7", 443, null),
            TestFindings.Shadow("198.51.100.9", 8080, null),
            TestFindings.Shadow(null, null, "weak.example", confidence: 0.5),
            TestFindings.Shadow(null, null, "lowlevel.example", level: "low"),
            TestFindings.Shadow(null, null, "suspect.example", verdict: Verdict.Suspected),
            TestFindings.Shadow("203.0.113.5", 3000, "kept.example"),
        ];

        var plan = await _h.Engine.PlanAsync(findings, [], CancellationToken.None);

        Assert.That(plan.Entries.Select(e => e.Entry.Key), Is.EqualTo(new[] { "addr:203.0.113.5:3000", "host:kept.example", "host:kept.example/mcp" }));
        Assert.That(plan.Backends.Single(b => b.Backend == "nftables").Error, Does.Contain("nftables"));
    }

    [Test]
    public async Task Apply_Store_KeepsWhoWhatWhenWhichBackendAndResult()
    {
        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example")], [], CancellationToken.None);

        var row = _h.Store.LoadActions().First(a => a.Backend == "hosts");
        Assert.That(row.Actor, Is.EqualTo("test-user"));
        Assert.That(row.At, Is.EqualTo(_h.Time.Now.UtcDateTime));
        Assert.That(row.Result, Is.EqualTo(ActionResults.Ok));
        Assert.That(EntryJson.Read(row.AddedJson).Single().Target, Is.EqualTo("rogue.example"));
        Assert.That(EntryJson.Read(row.BeforeJson), Is.Empty);
        Assert.That(_h.Store.GetApplied("hosts").Single().Target, Is.EqualTo("rogue.example"));
    }
}
