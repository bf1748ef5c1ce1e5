using ShadowMcp.Tests;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// kill -9 of a real `enforce apply` at each step of a change (intent written, transaction committed, a child
/// nft or an Unbound reload still running), timed by the step hook and by a wrapper that holds the child, never
/// by sleeps. The next command must finish the record or restore the earlier state exactly, leave an action row
/// for everything nftables and the resolver hold, and the sanctioned upstream on the same address must answer
/// every probe throughout. Once per store engine: the action log on SQLite and on PostgreSQL.
/// </summary>
[Category("Integration")]
[NonParallelizable]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class KillAtEachStepTests(StoreKind kind)
{
    // Holds a child whose arguments include $SHADOWMCP_TEST_HOLD_ON: its pid goes to HOLD.ready, then it waits on
    // the HOLD.go fifo before it runs (so it can be orphaned mid-change, and released or killed later).
    private const string Wrapper = """
        hold=
        for a in "$@"; do [ -n "$SHADOWMCP_TEST_HOLD_ON" ] && [ "$a" = "$SHADOWMCP_TEST_HOLD_ON" ] && hold=1; done
        if [ -n "$hold" ]; then
          cat > "$SHADOWMCP_TEST_HOLD.stdin"
          echo $$ > "$SHADOWMCP_TEST_HOLD.tmp" && mv "$SHADOWMCP_TEST_HOLD.tmp" "$SHADOWMCP_TEST_HOLD.ready"
          read go < "$SHADOWMCP_TEST_HOLD.go"
          "$@" < "$SHADOWMCP_TEST_HOLD.stdin"; code=$?
          touch "$SHADOWMCP_TEST_HOLD.done"
          exit $code
        fi
        exec "$@"
        """;

    private const string HostsBefore = "127.0.0.1 localhost\n# no final newline here";

    private SharedServer _net = null!;
    private LocalUnbound _unbound = null!;
    private Harness _h = null!;
    private string _host = "";

    [SetUp]
    public void SetUp()
    {
        ExternalTools.Require("apt-get install nftables iproute2 unbound curl", "nft", "ip", "unbound-control", "curl");
        _net = new SharedServer();
        _h = new Harness("backends: []", kind);
        _unbound = new LocalUnbound(_h.Dir);
        File.WriteAllText(_h.PathIn("wrap.sh"), Wrapper);
        File.WriteAllText(_h.PathIn("hosts"), HostsBefore);
        var policy = $"""
            allow:
              - host: upstream.corp.example
                reason: portal upstream
            backends:
              - type: nftables
                name: gw
                command: [sh, {_h.PathIn("wrap.sh")}, ip, netns, exec, {_net.Server}, nft]
              - type: hosts
                path: {_h.PathIn("hosts")}
              - type: unbound
                path: {_unbound.IncludePath}
                reload: [sh, {_h.PathIn("wrap.sh")}, {string.Join(", ", _unbound.ReloadCommand)}]
                control: [unbound-control, -c, {_unbound.ConfigPath}]
            """;
        File.WriteAllText(_h.PathIn("policy.yaml"), policy);
        _h.UsePolicy(policy);
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        _host = Path.Combine(testDir.Parent!.Parent!.Parent!.FullName, "EnforceHost", "bin", testDir.Parent.Name, testDir.Name, "EnforceHost.dll");
        using var store = FindingStore.Open(_h.Target);
        var shadow = TestFindings.Shadow(_net.Address, SharedServer.ShadowPort, "mcp.corp.test", hosts: "mcp.corp.test");
        var upstream = TestFindings.Shadow(_net.Address, SharedServer.SanctionedPort, "upstream.corp.example",
            verdict: Verdict.Sanctioned, hosts: "upstream.corp.example");
        store.SaveFileResult("capture.pcap", "sha-capture", 1, new ScanStats(), null, [shadow, upstream], TestFindings.Seen);
        SqliteConnection.ClearAllPools();
    }

    [TearDown]
    public void TearDown()
    {
        _unbound?.Dispose();
        _h?.Dispose();
        _net?.Dispose();
    }

    /// <summary>Where the killed run is stopped: at an engine step, or inside a child holding on an argument.</summary>
    public sealed record Moment(string Name, string? Step, string? HoldOn, bool ReleaseOrphan, bool Lands);

    private static readonly Moment[] Moments =
    [
        new("intent written, nft not run", "intent:gw", null, false, Lands: false),
        new("nft committed, outcome not recorded", "committed:gw", null, false, Lands: true),
        new("child nft still running, killed by the next run", null, "-f", false, Lands: false),
        new("child nft commits after the kill", null, "-f", true, Lands: true),
        new("hosts file replaced, outcome not recorded", "committed:hosts", null, false, Lands: true),
        new("unbound file not yet written", "intent:unbound", null, false, Lands: false),
        new("unbound file written, reload still running", null, "reload", false, Lands: false),
        new("unbound reloaded, outcome not recorded", "committed:unbound", null, false, Lands: true),
    ];

    private static IEnumerable<TestCaseData> Cases() => Moments.Select(m => new TestCaseData(m).SetName($"Kill_{m.Name.Replace(' ', '_').Replace(",", "")}"));

    [TestCaseSource(nameof(Cases))]
    public async Task KillMidApply_NextCommandFinishesOrRestoresAndRecordsEverythingHeld(Moment moment)
    {
        var hold = _h.PathIn("hold");
        if (moment.HoldOn is not null) Sh.Check("mkfifo", hold + ".go");
        var before = await ReadAllAsync();
        var unboundFileBefore = File.ReadAllBytes(_unbound.IncludePath);

        using var stopProbe = new CancellationTokenSource();
        var probe = Task.Run(() => ProbeSanctioned(stopProbe.Token));

        var env = new Dictionary<string, string>
        {
            ["SHADOWMCP_TEST_READY"] = _h.PathIn("ready"),
            ["SHADOWMCP_TEST_HOLD"] = hold,
        };
        if (moment.Step is not null) env["SHADOWMCP_TEST_PAUSE_AT"] = moment.Step;
        if (moment.HoldOn is not null) env["SHADOWMCP_TEST_HOLD_ON"] = moment.HoldOn;
        using (var apply = Start(env, "apply"))
        {
            var ready = moment.Step is not null ? _h.PathIn("ready") : hold + ".ready";
            await WaitForAsync(() => File.Exists(ready) || apply.HasExited, $"the run to reach '{moment.Name}'");
            if (apply.HasExited) Assert.Fail($"the run ended before '{moment.Name}': {await apply.StandardError.ReadToEndAsync()}");
            apply.Kill(); // SIGKILL to the enforcer alone: its children are orphaned, as with `kill -9 PID`
            await apply.WaitForExitAsync();
        }
        int? orphan = moment.HoldOn is null ? null : int.Parse(File.ReadAllText(hold + ".ready").Trim());
        if (moment.ReleaseOrphan)
        {
            await File.WriteAllTextAsync(hold + ".go", "go\n"); // the orphan goes on and commits after its parent died
            await WaitForAsync(() => File.Exists(hold + ".done"), "the orphaned child to commit");
        }
        SqliteConnection.ClearAllPools();

        var (code, output) = await RunAsync("plan");
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("reconciled action"));
        if (orphan is { } pid) Assert.That(Directory.Exists($"/proc/{pid}") && !IsZombie(pid), Is.False, "the next run killed the leftover child");

        var actions = _h.Store.LoadActions();
        Assert.That(actions.Where(a => a.Result == ActionResults.Pending), Is.Empty, "no intent is left open");
        var held = await ReadAllAsync();
        foreach (var (name, state) in held)
        {
            var last = actions.LastOrDefault(a => a.Backend == name && a.StateKnown);
            var recorded = last is null ? [] : EntryJson.Read(last.AfterJson).ToHashSet();
            Assert.That(state.SetEquals(recorded), Is.True, $"{moment.Name}: {name} holds [{string.Join(", ", state)}], the log says [{string.Join(", ", recorded)}]");
        }
        var killedBackend = moment.Step?.Split(':')[1] ?? (moment.HoldOn == "-f" ? "gw" : "unbound");
        var row = actions.Last(a => a.Backend == killedBackend);
        Assert.That(row.Result, Is.EqualTo(moment.Lands ? ActionResults.Ok : ActionResults.Failed), row.Error);
        if (!moment.Lands)
        {
            Assert.That(held[killedBackend].SetEquals(before[killedBackend]), Is.True, "the earlier state is back");
            if (killedBackend == "unbound")
            {
                Assert.That(File.ReadAllBytes(_unbound.IncludePath), Is.EqualTo(unboundFileBefore), "the include file byte for byte");
                Assert.That(_unbound.Resolve("mcp.corp.test"), Is.EqualTo("192.0.2.44"), "the resolver never served the unrecorded block");
            }
        }

        // A rollback after the reconciled run restores the state from before the killed apply, byte for byte.
        (code, output) = await RunAsync("rollback");
        Assert.That(code, Is.Zero, output);
        var restored = await ReadAllAsync();
        foreach (var (name, state) in restored) Assert.That(state, Is.Empty, $"{name} after rollback");
        Assert.That(File.ReadAllText(_h.PathIn("hosts")), Is.EqualTo(HostsBefore));
        Assert.That(File.ReadAllBytes(_unbound.IncludePath), Is.EqualTo(unboundFileBefore));
        Assert.That(_net.Reaches(SharedServer.ShadowPort), Is.True, "the shadow is reachable again");

        await stopProbe.CancelAsync();
        var (ok, failed) = await probe;
        Assert.That(failed, Is.Zero, $"{failed} of {ok + failed} probes of the sanctioned upstream failed");
        Assert.That(ok, Is.GreaterThan(0));
    }

    private (int Ok, int Failed) ProbeSanctioned(CancellationToken stop)
    {
        var (ok, failed) = (0, 0);
        do
        {
            if (_net.Reaches(SharedServer.SanctionedPort)) ok++;
            else failed++;
        } while (!stop.IsCancellationRequested);
        return (ok, failed);
    }

    private async Task<Dictionary<string, HashSet<BlockEntry>>> ReadAllAsync()
    {
        var states = new Dictionary<string, HashSet<BlockEntry>>();
        foreach (var b in _h.Backends) states[b.Name] = [.. await b.ReadAsync(CancellationToken.None)];
        return states;
    }

    private Process Start(Dictionary<string, string> env, params string[] command)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { _host, "enforce" }.Concat(command).Concat(["--policy", _h.PathIn("policy.yaml"), "--db", _h.Target]))
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    private async Task<(int Code, string Output)> RunAsync(string command)
    {
        using var p = Start([], command);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        SqliteConnection.ClearAllPools();
        return (p.ExitCode, await stdout + await stderr);
    }

    private static bool IsZombie(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'); }
        catch (IOException) { return false; }
    }

    /// <summary>Waits for a condition another process brings about; the limit only guards against a hang.</summary>
    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(180)) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
