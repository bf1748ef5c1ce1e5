using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// What `serve --enforce-policy` gives the admin UI and the report: plan, apply and roll back through the real engine
/// on a real backend (a hosts file), and the block state of a finding the sensor recorded. Once on a SQLite store and
/// once on a PostgreSQL one (the enforcer's tables beside the findings in either).
/// </summary>
[TestFixture(false)]
[TestFixture(true, Category = ExternalTools.IntegrationCategory)]
public sealed class EnforcementDataSourcesTests(bool onPostgres)
{
    [Test]
    public async Task PlanApplyRollback_FromTheAdminSeam_ChangesTheBackendAndTheReportedState()
    {
        using var work = new HostsFileWorkspace("", onPostgres);
        var (db, hosts, policy) = (work.Db, work.Hosts, work.Policy);
        work.Scan("dns-mcp-and-other-names.pcap");

        var sources = new EnforcementDataSources(policy, db, () => [], TimeProvider.System);
        var plan = await sources.PlanAsync(CancellationToken.None);
        Assert.That(plan.Succeeded, Is.True, plan.Message);
        var state = await sources.GetStateAsync(CancellationToken.None);
        Assert.That(state!.PendingPlan!.Steps.Select(s => s.EndpointKey), Does.Contain("host:mcp.notion.com"));
        Assert.That((await sources.GetStatesAsync(["mcp.notion.com"], DateTime.UtcNow, CancellationToken.None))!["mcp.notion.com"].State, Is.EqualTo("pending"));

        var apply = await sources.ApplyAsync(state.PendingPlan.Id, "carol", CancellationToken.None);
        Assert.That(apply.Succeeded, Is.True, apply.Message);
        Assert.That(File.ReadAllText(hosts), Does.Contain("mcp.notion.com").And.Contain("127.0.0.1 localhost"));
        var blocked = (await sources.GetStatesAsync(["mcp.notion.com", "mcp.acme-internal.example"], DateTime.UtcNow, CancellationToken.None))!;
        Assert.That(blocked["mcp.notion.com"].IsBlocked, Is.True);
        Assert.That(blocked["mcp.acme-internal.example"].IsBlocked, Is.False, "suspected findings are not selected by this policy");
        Assert.That((await sources.ApplyAsync(state.PendingPlan.Id, "carol", CancellationToken.None)).Succeeded, Is.False, "a used plan cannot be applied again");

        var applied = (await sources.GetStateAsync(CancellationToken.None))!;
        var action = applied.Actions.First(a => a.CanRollBack);
        Assert.That(action.EndpointKey, Does.Contain("+mcp.notion.com"), "the action names what it blocked, not \"+5 -0\"");
        var held = applied.Blocked!.Single(b => b.Endpoint == "mcp.notion.com");
        Assert.That((held.Backend, held.Rule, held.ActionId, held.Verification), Is.EqualTo(("hosts", "block", action.Id, "held")));
        Assert.That(held.ExpiresUtc, Is.Null, "this policy sets no TTL");

        var rollback = await sources.RollbackAsync(action.Id, "carol", CancellationToken.None);
        Assert.That(rollback.Succeeded, Is.True, rollback.Message);
        Assert.That(Actors(db), Is.Not.Empty.And.All.EqualTo("carol"), "actions are recorded under the person who took them");
        Assert.That(File.ReadAllText(hosts), Is.EqualTo("127.0.0.1 localhost\n"));
        Assert.That((await sources.GetStatesAsync(["mcp.notion.com"], DateTime.UtcNow, CancellationToken.None))!["mcp.notion.com"].IsBlocked, Is.False);

        var after = (await sources.GetStateAsync(CancellationToken.None))!;
        Assert.That(after.Blocked, Is.Empty);
        var undone = after.Actions.Single(a => a.Id == action.Id);
        Assert.That((undone.State, undone.CanRollBack), Is.EqualTo(("rolled-back", false)));
        var again = await sources.RollbackAsync(action.Id, "carol", CancellationToken.None);
        Assert.That(again.Succeeded, Is.False, "a second rollback of the same action is refused, not a success that did nothing");
        Assert.That(again.Message, Does.Contain($"action {action.Id} was already rolled back"));
    }

    [Test]
    public async Task GetStates_BlockHeldButNoLongerSelected_SaysBlockedUntilTheNextApplyLiftsIt()
    {
        using var work = new HostsFileWorkspace("", onPostgres);
        var (db, hosts, policy) = (work.Db, work.Hosts, work.Policy);
        work.Scan("dns-mcp-and-other-names.pcap");
        var sources = new EnforcementDataSources(policy, db, () => [], TimeProvider.System);
        Assert.That((await sources.PlanAsync(CancellationToken.None)).Succeeded, Is.True);
        var apply = await sources.ApplyAsync((await sources.GetStateAsync(CancellationToken.None))!.PendingPlan!.Id, "carol", CancellationToken.None);
        Assert.That(apply.Succeeded, Is.True, apply.Message);

        // The policy changes so that the finding is no longer selected; the hosts file still holds its block.
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("verdicts: [shadow]", "verdicts: [suspected]", StringComparison.Ordinal));
        var still = (await sources.GetStatesAsync(["mcp.notion.com"], DateTime.UtcNow, CancellationToken.None))!["mcp.notion.com"];
        Assert.That(File.ReadAllText(hosts), Does.Contain("mcp.notion.com"));
        Assert.That(still.IsBlocked, Is.True, "its traffic is still dropped: \"not blocked\" would be false");
        Assert.That(still.Detail, Is.EqualTo("hosts; no longer selected: the next apply lifts it"));

        Assert.That((await sources.PlanAsync(CancellationToken.None)).Succeeded, Is.True);
        var lift = await sources.ApplyAsync((await sources.GetStateAsync(CancellationToken.None))!.PendingPlan!.Id, "carol", CancellationToken.None);
        Assert.That(lift.Succeeded, Is.True, lift.Message);
        Assert.That(File.ReadAllText(hosts), Does.Not.Contain("mcp.notion.com"));
        Assert.That((await sources.GetStatesAsync(["mcp.notion.com"], DateTime.UtcNow, CancellationToken.None))!["mcp.notion.com"].State,
            Is.EqualTo("not blocked"));
    }

    [Test]
    public async Task GetStates_AddressOnlyEndpointUnderANameBackend_SaysNotBlockableInsteadOfPending()
    {
        using var work = new HostsFileWorkspace("", onPostgres);
        var (db, policy) = (work.Db, work.Policy);
        work.Scan("cs-stateful-2025-06-18.pcap");
        IReadOnlyList<string> keys;
        using (var store = FindingStore.Open(db))
            keys = [.. store.LoadFindings().Where(f => f.Verdict == ShadowMcp.Core.Findings.Verdict.Shadow && f.Hosts.Count == 0).Select(f => f.Endpoint.Key)];
        Assert.That(keys, Is.Not.Empty, "the capture has an address-only shadow server");

        var states = (await new EnforcementDataSources(policy, db, () => [], TimeProvider.System).GetStatesAsync(keys, DateTime.UtcNow, CancellationToken.None))!;
        Assert.That(keys.Select(k => states[k].State), Is.All.EqualTo("not blockable by the configured backends"));
        Assert.That(keys.Select(k => states[k].Detail), Is.All.EqualTo("configured: hosts; nftables or webhook could block it"),
            "the admin learns which backend to add");
    }

    [Test]
    public async Task CurrentlyBlocked_PolicyWithTtl_ShowsWhenEachBlockLapses()
    {
        using var work = new HostsFileWorkspace("ttl: 7d\n", onPostgres);
        var (db, policy) = (work.Db, work.Policy);
        work.Scan("dns-mcp-and-other-names.pcap");
        var now = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
        var sources = new EnforcementDataSources(policy, db, () => [], new FixedTime(now));
        Assert.That((await sources.PlanAsync(CancellationToken.None)).Succeeded, Is.True);
        var apply = await sources.ApplyAsync((await sources.GetStateAsync(CancellationToken.None))!.PendingPlan!.Id, "carol", CancellationToken.None);
        Assert.That(apply.Succeeded, Is.True, apply.Message);

        var blocked = (await sources.GetStateAsync(CancellationToken.None))!.Blocked!;
        Assert.That(blocked.Select(b => b.Endpoint), Does.Contain("mcp.notion.com"));
        Assert.That(blocked.Select(b => b.ExpiresUtc), Is.All.EqualTo(now.UtcDateTime.AddDays(7)));
        Assert.That(blocked.Select(b => b.SinceUtc), Is.All.EqualTo(now.UtcDateTime));

    }

    [Test]
    public async Task GetState_BackendThatCannotBeBuilt_StillShowsThePageWithoutCurrentBlocks()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-enforce-src-").FullName;
        var db = Path.Combine(dir, "store.db");
        var policy = Path.Combine(dir, "enforce.yaml");
        File.WriteAllText(policy, "version: 1\nselect:\n  verdicts: [shadow]\nmode: block\nbackends:\n"
            + "  - type: cloudflare\n    account_id: acc-1\n    token_env: SHADOWMCP_TEST_TOKEN_THAT_IS_NEVER_SET\n");
        var sources = new EnforcementDataSources(policy, db, () => [], TimeProvider.System);

        var state = await sources.GetStateAsync(CancellationToken.None);
        Assert.That(state, Is.Not.Null);
        Assert.That(state!.Blocked, Is.Null, "what is held cannot be read without the backend");
        var plan = await sources.PlanAsync(CancellationToken.None);
        Assert.That(plan.Succeeded, Is.False);
        Assert.That(plan.Message, Does.Contain("SHADOWMCP_TEST_TOKEN_THAT_IS_NEVER_SET"), "Plan names the missing variable");

        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// A temp folder with a store, a hosts file as the one backend and a policy that blocks shadow findings from
    /// 0.5 confidence; removed when the test ends, pass or fail.
    /// </summary>
    private sealed class HostsFileWorkspace : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("shadowmcp-enforce-src-").FullName;

        public HostsFileWorkspace(string policyExtra, bool onPostgres)
        {
            Db = onPostgres ? LocalPostgres.CreateDatabase("enforcesrc") : Path.Combine(_dir, "store.db");
            File.WriteAllText(Hosts, "127.0.0.1 localhost\n");
            File.WriteAllText(Policy, "version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.5\nmode: block\n" + policyExtra
                + $"backends:\n  - type: hosts\n    path: {Hosts}\n");
        }

        /// <summary>The store target: a file in the folder, or a fresh PostgreSQL database.</summary>
        public string Db { get; }
        public string Hosts => Path.Combine(_dir, "hosts");
        public string Policy => Path.Combine(_dir, "enforce.yaml");

        /// <summary>Scans a corpus capture into the store, as the sensor would have.</summary>
        public void Scan(string corpusPcap)
        {
            using var store = FindingStore.Open(Db);
            new ScanRunner(McpClassifier.Create(RepoPaths.Rules), store, NullLogger.Instance).Run([RepoPaths.CorpusPcap(corpusPcap)]);
        }

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, recursive: true);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static List<string> Actors(string db)
    {
        using var store = EnforcerStore.Open(db);
        return [.. store.LoadActions().Select(a => a.Actor).Distinct()];
    }
}
