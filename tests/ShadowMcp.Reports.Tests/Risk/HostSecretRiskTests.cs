using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Reports.Tests.Risk;

/// <summary>
/// "Secrets on hosts that use it": a host whose agent config points at a shadow server's name and holds a plaintext
/// credential adds the factor to that server, naming host, kind and place; a host with secrets that does not use the
/// server adds nothing.
/// </summary>
public sealed class HostSecretRiskTests
{
    private static readonly DateTime Week48 = new(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc);
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-hostsecret-").FullName;

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static Finding Shadow(string address, string host)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint(address, 443, host, "/mcp"), Verdict = Verdict.Shadow, Confidence = 0.95, Flows = 3,
            FirstSeen = Week48, LastSeen = Week48.AddMinutes(5), Transport = Transports.Tls,
        };
        f.Hosts.Add(host);
        f.Clients.Add("10.0.0.7");
        return f;
    }

    private static void AddHost(ShadowMcpDbContext db, string hostName, string url, bool withSecret)
    {
        var scan = new HostScanRow { HostName = hostName, ScanId = hostName + "-1", ScannedAt = Week48, ReceivedAt = Week48, Os = "linux" };
        scan.Servers.Add(new HostServerRow
        {
            Agent = "Cursor", Scope = "user", ConfigPath = "~/.cursor/mcp.json", Name = "notes", Transport = "streamable-http",
            Url = url, Enabled = true, Verdict = "shadow", Endpoint = url, Origin = "config",
        });
        if (withSecret)
            scan.Secrets.Add(new HostSecretRow { Agent = "Cursor", ConfigPath = "~/.cursor/mcp.json", Server = "notes", Location = "headers.Authorization", Kind = "bearer-token" });
        db.HostScans.Add(scan);
        db.SaveChanges();
    }

    [Test]
    public async Task AHostThatUsesTheServerAndHoldsASecret_AddsTheFactor_OthersDoNot()
    {
        var path = Path.Combine(_dir, "store.db");
        using (var store = FindingStore.Open(path))
        {
            store.SaveFileResult("w48.pcap", "sha-w48", 10, new ScanStats(), null,
                [Shadow("203.0.113.10", "notes.shadow.example"), Shadow("203.0.113.11", "other.shadow.example")], Week48);
            AddHost(store.Context, "laptop-7", "https://notes.shadow.example/mcp", withSecret: true);
            AddHost(store.Context, "laptop-8", "https://unrelated.example/mcp", withSecret: true);
        }

        using var reading = FindingStore.Open(path);
        var report = await new ReportBuilder(ReportSources.NotConfigured())
            .BuildAsync(reading, ReportPeriod.ForWeek("2026-W48", TimeZoneInfo.Utc), null, CancellationToken.None);

        var used = report.Servers.Single(s => s.Hosts.Contains("notes.shadow.example"));
        var factor = used.Risk!.Factors.Single(f => f.Name == "secrets on hosts that use it");
        Assert.That(factor.Points, Is.EqualTo(15));
        Assert.That(factor.Evidence, Is.EqualTo("laptop-7: bearer-token in Cursor config for 'notes' (headers.Authorization)"));
        var other = report.Servers.Single(s => s.Hosts.Contains("other.shadow.example"));
        Assert.That(other.Risk!.Factors.Select(f => f.Name), Does.Not.Contain("secrets on hosts that use it"));
    }
}
