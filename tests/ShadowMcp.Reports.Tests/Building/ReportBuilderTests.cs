using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Tests.Building;

public sealed class ReportBuilderTests
{
    private SeededStore _store = null!;

    [SetUp]
    public void SetUp() => _store = SeededStore.Create();

    [TearDown]
    public void TearDown() => _store.Dispose();

    private Task<(Model.ReportDocument Document, IReadOnlyList<ReportFile> Files)> Generate(string week, string tz = "UTC") =>
        new ReportGenerator(ReportSources.NotConfigured()).GenerateAsync(_store.DbPath, ReportPeriod.ForWeek(week, TimeZones.Find(tz)), ReportFormats.All, null, CancellationToken.None);

    [Test]
    public async Task BuildAsync_SeededWeek_CountsNewActiveGoneAndConversions()
    {
        var (doc, _) = await Generate("2026-W47");

        Assert.That(doc.Empty, Is.False);
        Assert.That(doc.Headline.NewShadowServers, Is.EqualTo(1));
        Assert.That(doc.Headline.StillActiveShadowServers, Is.EqualTo(1));
        Assert.That(doc.Headline.GoneShadowServers, Is.EqualTo(1));
        Assert.That(doc.Headline.SuspectedEndpoints, Is.EqualTo(1));
        Assert.That(doc.Headline.SanctionedEndpointsSeen, Is.EqualTo(1));
        Assert.That(doc.Headline.Conversions, Is.EqualTo(1), "10.0.0.20 used the gone shadow server, then only the portal");
        Assert.That(doc.Headline.Blocked, Is.Null);
        Assert.That(doc.Headline.SanctionedPortalCalls, Is.Null);
        Assert.That(doc.Headline.ShadowFlows, Is.EqualTo(6));
        Assert.That(doc.Gone.Single().Endpoint, Is.EqualTo(SeededStore.GoneServer));
        Assert.That(doc.Findings, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task BuildAsync_NewServer_CarriesEvidenceClientsAndServerInfo()
    {
        var (doc, _) = await Generate("2026-W47");

        var server = doc.Servers.Single(s => s.Endpoint == SeededStore.NewServer);
        Assert.That(server.Status, Is.EqualTo("new"));
        Assert.That(server.ServerName, Is.EqualTo("everything, \"beta\""));
        Assert.That(server.Clients.Select(c => c.Address), Is.EqualTo(new[] { "10.0.0.7", "10.0.0.8" }));
        Assert.That(server.Evidence.Single().Rule, Is.EqualTo("mcp-initialize-request"));
        Assert.That(server.Evidence.Single().Example, Does.Contain("\"protocolVersion\""));
        Assert.That(doc.Servers.Single(s => s.Endpoint == SeededStore.ActiveServer).Status, Is.EqualTo("active"));
    }

    [Test]
    public async Task BuildAsync_Trend_CoversEightWeeksEndingWithThePeriod()
    {
        var (doc, _) = await Generate("2026-W47");

        Assert.That(doc.Trend.Select(t => t.Week), Is.EqualTo(new[] { "2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47" }));
        Assert.That(doc.Trend.Single(t => t.Week == "2026-W44").ActiveShadow, Is.EqualTo(1));
        Assert.That(doc.Trend.Single(t => t.Week == "2026-W47").ActiveShadow, Is.EqualTo(2));
        Assert.That(doc.Trend.Single(t => t.Week == "2026-W47").NewShadow, Is.EqualTo(1));
        Assert.That(doc.Trend.Single(t => t.Week == "2026-W46").ActiveShadow, Is.Zero);
    }

    [Test]
    public async Task BuildAsync_EmptyWeek_IsAValidReportThatSaysSo()
    {
        var (doc, files) = await Generate("2026-W10");

        Assert.That(doc.Empty, Is.True);
        Assert.That(doc.Servers, Is.Empty);
        Assert.That(doc.Headline.NewShadowServers, Is.Zero);
        Assert.That(files.Single(f => f.Format == ReportFormat.Html).Content, Does.Contain("No MCP activity was recorded in this period."));
        Assert.That(files.Single(f => f.Format == ReportFormat.Markdown).Content, Does.Contain("No MCP activity was recorded in this period."));
        Assert.That(() => System.Text.Json.JsonDocument.Parse(files.Single(f => f.Format == ReportFormat.Json).Content), Throws.Nothing);
        Assert.That(files.Single(f => f.Format == ReportFormat.Csv).Content.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task GenerateAsync_SameStoreTwice_GivesByteIdenticalFiles()
    {
        var (_, first) = await Generate("2026-W47", "Europe/Berlin");
        var (_, second) = await Generate("2026-W47", "Europe/Berlin");

        Assert.That(second.Select(f => f.FileName), Is.EqualTo(first.Select(f => f.FileName)));
        for (var i = 0; i < first.Count; i++)
            Assert.That(second[i].Content, Is.EqualTo(first[i].Content), first[i].FileName);
    }

    [Test]
    public async Task BuildAsync_ActivityJustAfterLocalMidnight_CountsInTheLocalWeek()
    {
        // 2026-11-15 23:30 UTC is Monday 00:30 in Berlin: week 47 there, still week 46 in UTC.
        var at = new DateTime(2026, 11, 15, 23, 30, 0, DateTimeKind.Utc);
        using (var store = Core.Store.FindingStore.Open(_store.DbPath))
            store.SaveFileResult("edge.pcap", "sha-edge", 1, new(), null,
                [SeededStore.Shadow(new Core.Findings.Endpoint("10.0.0.99", 1, null, "/mcp"), at, 1, "10.0.0.98", "edge")], at);

        var (berlin, _) = await Generate("2026-W47", "Europe/Berlin");
        var (utc, _) = await Generate("2026-W47");

        Assert.That(berlin.Servers.Select(s => s.Endpoint), Does.Contain("10.0.0.99:1/mcp"));
        Assert.That(utc.Servers.Select(s => s.Endpoint), Does.Not.Contain("10.0.0.99:1/mcp"));
    }

    [Test]
    public async Task GenerateAsync_StoreFromFirstSchemaVersion_IsMigratedAndReported()
    {
        using (var db = Core.Store.ShadowMcpDbContext.Open(_store.DbPath))
            Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.Migrate(db.Database, "InitialDetectionStore");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var (doc, _) = await Generate("2026-W47");

        Assert.That(doc.Headline.NewShadowServers, Is.EqualTo(1));
        Assert.That(doc.Headline.GoneShadowServers, Is.EqualTo(1));
        Assert.That(doc.Servers.Single(s => s.Endpoint == SeededStore.NewServer).FlowsInPeriod, Is.EqualTo(5));
    }
}
