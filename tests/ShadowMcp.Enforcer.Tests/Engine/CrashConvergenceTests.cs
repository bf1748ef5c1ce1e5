using ShadowMcp.Tests;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// kill -9 of a real `enforce apply` process at different moments: every backend must then hold either its
/// complete old state or its complete new state, and the next apply must converge. Once per store engine.
/// </summary>
[Category("Integration")]
[NonParallelizable]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class CrashConvergenceTests(StoreKind kind)
{
    private const int PerSet = 600;
    private Harness _h = null!;
    private string _ns = "";

    [SetUp]
    public void SetUp()
    {
        ExternalTools.Require("apt-get install nftables iproute2", "nft", "ip");
        _ns = $"smcp-{Random.Shared.Next(0x1000, 0xFFFF):x4}-k";
        Sh.Check("ip", "netns", "add", _ns);
        _h = new Harness($"""
            backends:
              - type: nftables
                command: [ip, netns, exec, {_ns}, nft]
              - type: hosts
                path: $DIR/hosts
              - type: unbound
                path: $DIR/unbound.conf
                reload: []
              - type: rpz
                path: $DIR/shadowmcp.rpz
            """, kind);
        File.WriteAllText(_h.PathIn("policy.yaml"), PolicyText());
    }

    [TearDown]
    public void TearDown()
    {
        _h?.Dispose();
        if (_ns.Length > 0) Sh.Run("ip", "netns", "del", _ns);
    }

    private string PolicyText() => $"""
        backends:
          - type: nftables
            command: [ip, netns, exec, {_ns}, nft]
          - type: hosts
            path: {_h.PathIn("hosts")}
          - type: unbound
            path: {_h.PathIn("unbound.conf")}
            reload: []
          - type: rpz
            path: {_h.PathIn("shadowmcp.rpz")}
        """;

    /// <summary>Two disjoint sets of findings, in 198.18.0.0/15 (benchmarking space; it only ever sits in nft sets).</summary>
    private static List<Finding> FindingSet(int which) =>
        [.. Enumerable.Range(0, PerSet).Select(i => TestFindings.Shadow(
            $"198.{18 + which}.{i / 250}.{i % 250 + 1}", 3000 + which, $"s{which}-{i}.rogue.example", path: null))];

    private void StoreFindings(IReadOnlyList<Finding> findings)
    {
        using var store = FindingStore.Open(_h.Target);
        store.SaveFileResult("capture.pcap", "sha-capture", 1, new ScanStats(), null, findings, TestFindings.Seen);
        SqliteConnection.ClearAllPools();
    }

    private async Task<Dictionary<string, HashSet<BlockEntry>>> ReadAllAsync()
    {
        var states = new Dictionary<string, HashSet<BlockEntry>>();
        foreach (var b in _h.Backends) states[b.Name] = [.. await b.ReadAsync(CancellationToken.None)];
        return states;
    }

    private async Task<Dictionary<string, HashSet<BlockEntry>>> DesiredAsync(IReadOnlyList<Finding> findings)
    {
        var plan = await _h.Engine.PlanAsync(findings, [], CancellationToken.None);
        return plan.Backends.ToDictionary(b => b.Backend, b => b.Desired.ToHashSet());
    }

    /// <summary>A moment to kill the apply at; <see cref="Arm"/> is called as the process starts.</summary>
    private sealed record Trigger(string Name, Func<Func<bool>> Arm);

    private static Trigger TempFileWritten(string dir) =>
        new("temp file being written", () => () => Directory.EnumerateFiles(dir, ".*.tmp").Any());

    private static Trigger Replaced(string path) => new($"{Path.GetFileName(path)} replaced", () =>
    {
        var before = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : default;
        return () => File.Exists(path) && File.GetLastWriteTimeUtc(path) != before;
    });

    private static Trigger After(int ms) => new($"{ms} ms after start", () =>
    {
        var sw = Stopwatch.StartNew();
        return () => sw.ElapsedMilliseconds >= ms;
    });

    [Test]
    public async Task KillDuringApply_EachBackendOldOrNew_NextApplyConverges()
    {
        // bin/<configuration>/<tfm> of the test project mirrors EnforceHost's own output folder.
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var host = Path.Combine(testDir.Parent!.Parent!.Parent!.FullName, "EnforceHost", "bin", testDir.Parent.Name, testDir.Name, "EnforceHost.dll");
        Assert.That(File.Exists(host), Is.True, host);
        var outcomes = new List<string>();
        var partialRounds = 0;
        // Kill moments: while a backend file's temp copy is being written, right after a file was replaced
        // (between backends), and at fixed times (during startup or the nft transaction).
        Trigger[] triggers =
        [
            TempFileWritten(_h.Dir), Replaced(_h.PathIn("hosts")), Replaced(_h.PathIn("unbound.conf")),
            TempFileWritten(_h.Dir), After(900), Replaced(_h.PathIn("shadowmcp.rpz")),
        ];
        for (var round = 0; round < triggers.Length; round++)
        {
            var findings = FindingSet(round % 2);
            StoreFindings(findings);
            var old = await ReadAllAsync();
            var wanted = await DesiredAsync(findings);

            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { host, "enforce", "apply", "--policy", _h.PathIn("policy.yaml"), "--db", _h.Target }) psi.ArgumentList.Add(a);
            var trigger = triggers[round].Arm();
            using (var p = Process.Start(psi)!)
            {
                var sw = Stopwatch.StartNew();
                while (!p.HasExited && !trigger() && sw.Elapsed < TimeSpan.FromSeconds(60)) Thread.SpinWait(200);
                var killed = !p.HasExited;
                if (killed) p.Kill(entireProcessTree: true); // SIGKILL to the apply and any nft it started
                await p.WaitForExitAsync();
                if (!killed) Assert.That(p.ExitCode, Is.Zero, await p.StandardError.ReadToEndAsync());
            }
            SqliteConnection.ClearAllPools();

            var now = await ReadAllAsync();
            var mixed = new List<string>();
            foreach (var (name, state) in now)
            {
                var isOld = state.SetEquals(old[name]);
                var isNew = state.SetEquals(wanted[name]);
                if (!isOld && !isNew) mixed.Add($"{name}: {state.Count} entries, neither the old {old[name].Count} nor the new {wanted[name].Count}");
            }
            Assert.That(mixed, Is.Empty, $"round {round} (killed when: {triggers[round].Name})");
            var newCount = now.Count(kv => kv.Value.SetEquals(wanted[kv.Key]) && !kv.Value.SetEquals(old[kv.Key]));
            outcomes.Add($"{triggers[round].Name}: {newCount}/{now.Count} backends new");
            if (newCount > 0 && newCount < now.Count) partialRounds++;

            var converge = await _h.Engine.ApplyAsync(findings, [], CancellationToken.None);
            Assert.That(converge.Failed, Is.False, string.Join("; ", converge.Actions.Select(a => a.Error)));
            var plan = await _h.Engine.PlanAsync(findings, [], CancellationToken.None);
            Assert.That(plan.HasChanges, Is.False, $"round {round}: converged after the next apply");
            Assert.That(Directory.GetFiles(_h.Dir, ".*.tmp"), Is.Empty, "stale temp files are cleaned up by the next write");
        }
        TestContext.Out.WriteLine(string.Join("; ", outcomes));
        Assert.That(partialRounds, Is.GreaterThan(0), "at least one kill landed between backends: " + string.Join("; ", outcomes));
    }
}
