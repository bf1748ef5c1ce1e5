using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;
using ShadowMcp.Tests;

namespace ShadowMcp.Reports.Tests.Building;

/// <summary>
/// The report from a shared PostgreSQL store: the activity query once failed there (unquoted column names, `$name`
/// parameters, timestamps compared as text), so a report of a PostgreSQL store could not be made at all.
/// </summary>
[Category("Integration")]
public sealed class PostgresReportTests
{
    private static async Task<string> Json(SeededStore store, string week)
    {
        var period = ReportPeriod.ForWeek(week, TimeZones.Find("Europe/Berlin"));
        var (_, files) = await new ReportGenerator(ReportSources.NotConfigured())
            .GenerateAsync(store.DbPath, period, [ReportFormat.Json], null, CancellationToken.None);
        return files.Single().Content;
    }

    [Test]
    public async Task GenerateAsync_SeededPostgresStore_CountsActivityLikeSqlite()
    {
        using var sqlite = SeededStore.Create();
        using var postgres = SeededStore.Create(LocalPostgres.CreateDatabase("report"));

        var (doc, _) = await new ReportGenerator(ReportSources.NotConfigured()).GenerateAsync(postgres.DbPath,
            ReportPeriod.ForWeek("2026-W47", TimeZones.Find("UTC")), [ReportFormat.Json], null, CancellationToken.None);

        Assert.That(doc.Headline.NewShadowServers, Is.EqualTo(1));
        Assert.That(doc.Headline.StillActiveShadowServers, Is.EqualTo(1));
        Assert.That(doc.Headline.GoneShadowServers, Is.EqualTo(1));
        Assert.That(doc.Headline.ShadowFlows, Is.EqualTo(6));
        Assert.That(doc.Servers.Single(s => s.Endpoint == SeededStore.NewServer).FlowsInPeriod, Is.EqualTo(5));
        Assert.That(await Json(postgres, "2026-W47"), Is.EqualTo(await Json(sqlite, "2026-W47")),
            "the same findings give the same report whichever engine stores them");
    }
}
