using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// `shadowmcp report` takes the portal and enforcement inputs `serve` takes (flags, or the same settings keys in
/// appsettings.json), so the README's security-team command prints the real block and portal figures, not n/a.
/// </summary>
[Category("Integration")]
public sealed class ReportInputsTests
{
    private string _dir = null!;
    private string _db = null!;
    private string _policy = null!;
    private string _portal = null!;
    private string _week = null!;
    private string _blocked = null!;

    [OneTimeSetUp]
    public async Task BlockOneServerAsync()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-report-inputs-").FullName;
        _db = Path.Combine(_dir, "store.db");
        var hosts = Path.Combine(_dir, "hosts");
        File.WriteAllText(hosts, "127.0.0.1 localhost\n");
        _policy = Path.Combine(_dir, "enforce.yaml");
        File.WriteAllText(_policy, $"version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.5\nmode: block\nbackends:\n  - type: hosts\n    path: {hosts}\n");
        _portal = Path.Combine(_dir, "portal.json");
        File.WriteAllText(_portal, """
            { "portal": { "publicUrl": "https://mcp.corp.example" },
              "upstreams": [ { "id": "tickets", "url": "http://127.0.0.1:9/mcp" } ],
              "groups": { "support": { "servers": { "tickets": ["search_*"] } } } }
            """);
        DateTime seen;
        IReadOnlyList<string> shadow;
        using (var store = FindingStore.Open(_db))
        {
            new ScanRunner(McpClassifier.Create(RepoPaths.Rules), store, NullLogger.Instance).Run([RepoPaths.CorpusPcap("dns-mcp-and-other-names.pcap")]);
            var findings = store.LoadFindings();
            seen = findings.Single(f => f.Endpoint.Key == "mcp.notion.com").LastSeen;
            shadow = [.. findings.Where(f => f.Verdict == ShadowMcp.Core.Findings.Verdict.Shadow).Select(f => f.Endpoint.Key)];
        }
        _week = $"{ISOWeek.GetYear(seen)}-W{ISOWeek.GetWeekOfYear(seen).ToString("00", CultureInfo.InvariantCulture)}";
        var sources = new EnforcementDataSources(_policy, _db, () => [], TimeProvider.System);
        Assert.That((await sources.PlanAsync(CancellationToken.None)).Succeeded, Is.True);
        var plan = (await sources.GetStateAsync(CancellationToken.None))!.PendingPlan!;
        Assert.That((await sources.ApplyAsync(plan.Id, "carol", CancellationToken.None)).Succeeded, Is.True);
        var states = (await sources.GetStatesAsync(shadow, seen, CancellationToken.None))!;
        var blocked = shadow.Count(k => states[k].IsBlocked);
        Assert.That(blocked, Is.Positive, "the hosts file holds the shadow servers' names");
        _blocked = blocked.ToString(CultureInfo.InvariantCulture);
    }

    [OneTimeTearDown]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Markdown(string name, params string[] extra)
    {
        var output = Path.Combine(_dir, name);
        var run = CliProcess.RunIn(_dir, ["report", "--week", _week, "--format", "md", "--db", _db, "--out", output, .. extra]);
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        return File.ReadAllText(Directory.GetFiles(output, "*.md").Single());
    }

    private static string Row(string markdown, string measure) =>
        Regex.Match(markdown, $@"^\| {Regex.Escape(measure)} \| ([^|]+) \|", RegexOptions.Multiline).Groups[1].Value.Trim();

    [Test]
    public void Report_WithoutInputs_SaysNotAvailable()
    {
        var md = Markdown("plain");
        Assert.That((Row(md, "Blocked"), Row(md, "Sanctioned portal calls")), Is.EqualTo(("n/a", "n/a")));
    }

    [Test]
    public void Report_WithServeFlags_PrintsRealBlockAndPortalFigures()
    {
        var md = Markdown("flags", "--enforce-policy", _policy, "--portal-config", _portal);
        Assert.That(Row(md, "Blocked"), Is.EqualTo(_blocked), "the names the hosts file holds");
        Assert.That(Row(md, "Sanctioned portal calls"), Is.EqualTo("0"));
    }

    [Test]
    public void Report_WithServeSettingsKeys_ReadsTheSameInputs()
    {
        var settings = Path.Combine(_dir, "report-settings.json");
        File.WriteAllText(settings, $$"""{ "Enforcer": { "Policy": "{{_policy}}" }, "Portal": { "Config": "{{_portal}}" } }""");
        var md = Markdown("settings", "--settings", settings);
        Assert.That((Row(md, "Blocked"), Row(md, "Sanctioned portal calls")), Is.EqualTo((_blocked, "0")));
    }

    [Test]
    public void Report_UnreadablePolicy_IsAnInputErrorNamingTheFile()
    {
        var bad = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(bad, "version: 1\nmode: sideways\n");
        var run = CliProcess.RunIn(_dir, "report", "--week", _week, "--db", _db, "--out", Path.Combine(_dir, "bad"), "--enforce-policy", bad);
        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Stderr, Does.StartWith("error: ").And.Contain("bad.yaml"));
    }
}
