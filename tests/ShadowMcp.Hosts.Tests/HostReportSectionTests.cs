using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Core.Store;
using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Fleet;
using ShadowMcp.Hosts.Inventory;
using ShadowMcp.Hosts.Output;
using ShadowMcp.Hosts.Verdicts;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Hosts.Tests;

/// <summary>
/// The weekly report's "MCP servers on hosts": two weeks of inventories from a host in the store give what is new
/// and gone on it, counts by package and by agent, and the secrets found, in every format, without a value.
/// </summary>
public sealed class HostReportSectionTests
{
    [Test]
    public async Task WeeklyReport_HostsSection_NewGoneByPackageByAgentAndSecrets()
    {
        using var home = new FakeHome(HostOs.Linux);
        var db = Path.Combine(home.Root, "report.db");
        var store = new HostInventoryStore(db);
        var week47 = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero);
        var week48 = week47.AddDays(7);

        Save(store, home, week47);
        // Between the scans the user removed LM Studio's server and added one to Cursor.
        File.Delete(Path.Combine(home.Home, ".lmstudio/mcp.json"));
        home.Write(".cursor/mcp.json", """
            { "mcpServers": { "cursor-fetch": { "command": "uvx", "args": ["mcp-server-fetch==2025.4.7"] },
              "cursor-new": { "command": "npx", "args": ["-y", "@brand/new-mcp@1.0.0"] } } }
            """);
        Save(store, home, week48);
        Save(store, home, week48.AddHours(1), hostName: "laptop-8");

        using var findings = FindingStore.Open(db);
        var report = await new ReportBuilder(ReportSources.NotConfigured())
            .BuildAsync(findings, ReportPeriod.ForWeek("2026-W48", TimeZoneInfo.Utc), null, CancellationToken.None);
        var hosts = report.Hosts!;

        Assert.Multiple(() =>
        {
            Assert.That(hosts.Status.Configured, Is.True);
            Assert.That(hosts.HostsReporting, Is.EqualTo(2));
            Assert.That(hosts.New.Where(n => n.Host == "laptop-7").Select(n => n.What), Is.EqualTo(new[] { "npm:@brand/new-mcp@1.0.0" }),
                "new on the host that reported before");
            Assert.That(hosts.New.Count(n => n.Host == "laptop-8"), Is.EqualTo(home.Servers.Select(x => x.Identity).Distinct().Count()),
                "a first scan: all new, each package or URL once per host");
            Assert.That(hosts.Gone.Select(g => (g.Host, g.What)), Is.EqualTo(new[] { ("laptop-7", "https://huggingface.co/mcp") }));
            var github = hosts.ByPackage.Single(p => p.What == "npm:@modelcontextprotocol/server-github");
            Assert.That((github.Hosts, github.Declarations), Is.EqualTo((2, 4)), "Claude Code and Goose on two hosts");
            Assert.That(hosts.ByAgent.Single(a => a.Agent == "Cursor").Servers, Is.EqualTo(6), "3 Cursor servers on each of the two hosts");
            Assert.That(hosts.Secrets, Has.Count.EqualTo(2 * home.Secrets.Count));
        });

        foreach (var format in ReportFormats.All)
        {
            var text = ReportFormats.WriterFor(format).Write(report);
            if (format != ReportFormat.Csv) Assert.That(text, Does.Contain(format == ReportFormat.Json ? "\"hosts\"" : "MCP servers on hosts"), format.ToString());
            foreach (var secret in PlantedSecrets.All) Assert.That(text, Does.Not.Contain(secret), format.ToString());
        }
    }

    [Test]
    public async Task WeeklyReport_NoInventories_SaysSo()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-hosts-report-").FullName;
        try
        {
            using var findings = FindingStore.Open(Path.Combine(dir, "r.db"));
            var report = await new ReportBuilder(ReportSources.NotConfigured())
                .BuildAsync(findings, ReportPeriod.ForWeek("2026-W48", TimeZoneInfo.Utc), null, CancellationToken.None);
            Assert.That(report.Hosts!.Status.Configured, Is.False);
            Assert.That(ReportFormats.WriterFor(ReportFormat.Markdown).Write(report), Does.Contain("No host inventories have been received"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Save(HostInventoryStore store, FakeHome home, DateTimeOffset at, string hostName = "laptop-7")
    {
        var inventory = new HostScanner(new FakeTimeProvider(at)).Scan(new HostScanOptions
        {
            Homes = [home.Home], Os = HostOs.Linux, SystemRoot = home.System, Projects = [home.Project], HostName = hostName,
        });
        var findings = HostFindings.Build(inventory, HostVerdicts.None);
        Assert.That(store.Save(HostReportDocument.From(inventory, findings, HostVerdicts.None), at.UtcDateTime), Is.True);
    }
}
