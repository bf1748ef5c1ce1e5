using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Tests.Building;

/// <summary>
/// The executive summary a security lead reads first: the numbers agree with the document it summarises, a finished
/// week reads the same whenever it is generated, the week in progress says so, and the lists stay a page long.
/// </summary>
public sealed class SummaryBuilderTests
{
    private static readonly DateTimeOffset AfterW47 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset InsideW47 = new(2026, 11, 19, 12, 0, 0, TimeSpan.Zero);

    private SeededStore _store = null!;

    [SetUp]
    public void SetUp() => _store = SeededStore.Create();

    [TearDown]
    public void TearDown() => _store.Dispose();

    private static async Task<(ReportDocument Document, IReadOnlyList<ReportFile> Files)> Generate(string db, DateTimeOffset now) =>
        await new ReportGenerator(ReportSources.NotConfigured(), new FakeTimeProvider(now))
            .GenerateAsync(db, ReportPeriod.ForWeek("2026-W47", TimeZones.Find("UTC")), ReportFormats.All, null, CancellationToken.None);

    [Test]
    public async Task FinishedWeek_NamesNewServersAndWhatNeedsAction_FromTheDocument()
    {
        var (doc, _) = await Generate(_store.DbPath, AfterW47);
        var s = doc.Summary!;

        Assert.Multiple(() =>
        {
            Assert.That(s.Partial, Is.False);
            Assert.That(s.AsOfUtc, Is.Null);
            Assert.That(s.Headline, Does.Not.StartWith("So far"));
            Assert.That(s.Changed.NewShadowServers, Is.EqualTo(doc.Headline.NewShadowServers));
            Assert.That(s.Changed.TopNew.Single().Endpoint, Is.EqualTo(SeededStore.NewServer));
            Assert.That(s.Changed.TopNew.Single().Clients, Is.EqualTo(2));
            Assert.That(s.Changed.GoneShadowServers, Is.EqualTo(1));
            // Both shadow servers active in the week have confidence 0.97 and no enforcer is configured.
            Assert.That(s.NeedsAction.UnblockedHighConfidence, Is.EqualTo(2));
            Assert.That(s.NeedsAction.EnforcementKnown, Is.False);
            Assert.That(s.NeedsAction.TopUnblocked.Select(x => x.Endpoint),
                Is.EquivalentTo(new[] { SeededStore.NewServer, SeededStore.ActiveServer }));
            Assert.That(s.NeedsAction.SuspectedEndpoints, Is.EqualTo(1));
            Assert.That(s.NeedsAction.TopSuspected.Single().Endpoint, Does.Contain("mcp.example.com"));
            Assert.That(s.NeedsAction.SecretsFound, Is.Null, "no host inventories: unknown, not zero");
            Assert.That(s.NeedsAction.Total, Is.EqualTo(3));
            Assert.That(s.Done.BlockedShadowServers, Is.Null);
            Assert.That(s.Done.Conversions, Is.EqualTo(doc.Headline.Conversions));
        });
    }

    [Test]
    public async Task Deltas_CompareThePeriodWithTheWeekBefore_WithArrowsThatFollowTheSign()
    {
        var (doc, _) = await Generate(_store.DbPath, AfterW47);
        var (now, before) = (doc.Trend[^1], doc.Trend[^2]);
        var active = doc.Summary!.Deltas.Single(d => d.Measure == "Active shadow servers");

        Assert.That((active.Week, active.ThisWeek, active.PreviousWeek, active.Previous),
            Is.EqualTo((now.Week, (long)now.ActiveShadow, before.Week, (long)before.ActiveShadow)));
        foreach (var d in doc.Summary.Deltas)
            Assert.That(d.Arrow, Is.EqualTo(d.ThisWeek > d.Previous ? "▲" : d.ThisWeek < d.Previous ? "▼" : "="), d.Measure);
    }

    [Test]
    public async Task FinishedWeek_ReadsTheSameWheneverItIsGenerated()
    {
        var (monday, _) = await Generate(_store.DbPath, AfterW47);
        var (yearLater, _) = await Generate(_store.DbPath, AfterW47.AddYears(1));

        Assert.That(JsonSerializer.Serialize(yearLater.Summary), Is.EqualTo(JsonSerializer.Serialize(monday.Summary)));
    }

    [Test]
    public async Task WeekInProgress_IsMarkedPartialWithItsTime()
    {
        var (doc, _) = await Generate(_store.DbPath, InsideW47);
        var s = doc.Summary!;

        Assert.Multiple(() =>
        {
            Assert.That(s.Partial, Is.True);
            Assert.That(s.AsOfUtc, Is.EqualTo(InsideW47.UtcDateTime));
            Assert.That(s.Headline, Does.StartWith("So far (week in progress)"));
            Assert.That(s.Deltas, Is.Not.Empty);
            Assert.That(s.Deltas.All(d => d.Partial), Is.True);
        });
    }

    [Test]
    public async Task ManyNewServers_ListsTheTopTenByClientsThenFlows_AndCountsAll()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-summary-").FullName;
        try
        {
            var db = Path.Combine(dir, "store.db");
            var at = new DateTime(2026, 11, 18, 10, 0, 0, DateTimeKind.Utc);
            var findings = new List<Finding>();
            for (var i = 0; i < 25; i++)
            {
                // Server i has i % 5 + 1 clients and i + 1 flows: the order is clients first, then flows.
                var f = SeededStore.Shadow(new Endpoint($"10.9.0.{i + 1}", 8000, null, "/mcp"), at, i + 1, "10.8.0.1", $"srv-{i}");
                for (var c = 1; c <= i % 5; c++) f.Clients.Add($"10.8.0.{c + 1}");
                findings.Add(f);
            }
            using (var store = FindingStore.Open(db))
                store.SaveFileResult("many.pcap", "sha-many", 1, new ScanStats(), null, findings, at);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            var (doc, files) = await Generate(db, AfterW47);
            var s = doc.Summary!;
            var expected = findings.OrderByDescending(f => f.Clients.Count).ThenByDescending(f => f.Flows)
                .Take(SummaryBuilder.TopCount).Select(f => f.Endpoint.Key);

            Assert.That(s.Changed.NewShadowServers, Is.EqualTo(25));
            Assert.That(s.Changed.TopNew.Select(x => x.Endpoint), Is.EqualTo(expected));
            Assert.That(s.NeedsAction.TopUnblocked, Has.Count.EqualTo(SummaryBuilder.ActionTopCount));
            Assert.That(s.NeedsAction.UnblockedHighConfidence, Is.EqualTo(25));

            // The summary comes before the evidence in the HTML and names the 11th server nowhere in it.
            var html = files.Single(f => f.Format == ReportFormat.Html).Content;
            var summaryEnd = html.IndexOf("<details", StringComparison.Ordinal);
            Assert.That(summaryEnd, Is.GreaterThan(0));
            var eleventh = findings.OrderByDescending(f => f.Clients.Count).ThenByDescending(f => f.Flows)
                .ElementAt(SummaryBuilder.TopCount).Endpoint.Key;
            Assert.That(html[..summaryEnd], Does.Contain(expected.First()));
            Assert.That(html[..summaryEnd], Does.Not.Contain(eleventh));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
