using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Tests.Building;

/// <summary>
/// The weekly report's triage backlog on the seeded W47 store: counts by status, the overdue list (new or under
/// review more than N days after first seen, oldest first) as of the period's end or "now" in a partial week, and
/// triage decisions in "needs action" and the CSV.
/// </summary>
public sealed class TriageReportTests
{
    private static readonly string SuspectedKey = new Endpoint(null, null, "mcp.example.com", null).Key;
    private SeededStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _store = SeededStore.Create();
        using var db = ShadowMcpDbContext.Open(_store.DbPath);
        var at = new DateTime(2026, 11, 19, 12, 0, 0, DateTimeKind.Utc);
        TriageLedger.Apply(db, [SeededStore.ActiveServer], new TriageChange(TriageStatus.UnderReview, "<b>alice</b>"), "admin-ui", at);
        TriageLedger.Apply(db, [SeededStore.NewServer], new TriageChange(TriageStatus.FalsePositive), "admin-ui", at);
        TriageLedger.Apply(db, [SuspectedKey], new TriageChange(TriageStatus.Approved), "admin-ui", at);
    }

    [TearDown]
    public void TearDown() => _store.Dispose();

    private Task<(ReportDocument Document, IReadOnlyList<ReportFile> Files)> Generate(DateTimeOffset now, int overdueDays = 7) =>
        new ReportGenerator(ReportSources.NotConfigured() with { TriageOverdueDays = overdueDays }, new FakeTimeProvider(now))
            .GenerateAsync(_store.DbPath, ReportPeriod.ForWeek("2026-W47", TimeZones.Find("UTC")), ReportFormats.All, null, CancellationToken.None);

    [Test]
    public async Task CompletedWeek_CountsByStatusAndListsOverdueOldestFirst()
    {
        var (doc, _) = await Generate(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var t = doc.Summary!.Triage!;
        Assert.That(t.AsOfUtc, Is.EqualTo(new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc)), "a completed week is judged at its end");
        Assert.That(t.ByStatus.ToDictionary(c => c.Status, c => c.Findings), Is.EqualTo(new Dictionary<string, int>
        {
            ["new"] = 2, ["under_review"] = 1, ["approved"] = 1, ["blocked"] = 0, ["false_positive"] = 1,
        }));
        // The gone server (first seen W44, never triaged) and the active one (W45, under review); the sanctioned portal
        // is never overdue, the new server's week-old findings are not yet.
        Assert.That(t.Overdue, Is.EqualTo(2));
        Assert.That(t.TopOverdue.Select(o => (o.Endpoint, o.Status, o.DaysOpen)), Is.EqualTo(new[]
        {
            (SeededStore.GoneServer, "new", 26),
            (SeededStore.ActiveServer, "under_review", 19),
        }));
    }

    [Test]
    public async Task PartialWeek_IsJudgedNow()
    {
        var (doc, _) = await Generate(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));
        var t = doc.Triage!;
        Assert.That(t.AsOfUtc, Is.EqualTo(new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc)));
        Assert.That(t.TopOverdue.Select(o => o.DaysOpen), Is.EqualTo(new[] { 23, 16 }));
    }

    [Test]
    public async Task OverdueDays_IsASetting()
    {
        var (doc, _) = await Generate(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), overdueDays: 20);
        Assert.That(doc.Triage!.OverdueDays, Is.EqualTo(20));
        Assert.That(doc.Triage.TopOverdue.Select(o => o.Endpoint), Is.EqualTo(new[] { SeededStore.GoneServer }));
    }

    [Test]
    public async Task Decisions_ShapeNeedsActionAndTheCsv()
    {
        var (doc, files) = await Generate(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var a = doc.Summary!.NeedsAction;
        Assert.That(a.TopUnblocked.Select(s => s.Endpoint), Is.EqualTo(new[] { SeededStore.ActiveServer }), "the false positive needs no block");
        Assert.That(a.SuspectedEndpoints, Is.Zero, "the approved suspected endpoint is sanctioned now");
        var csv = files.Single(f => f.Format == ReportFormat.Csv).Content;
        Assert.That(csv.Split("\r\n")[0], Does.EndWith(",triage,basis,bases"));
        Assert.That(csv, Does.Contain(",false_positive,content,content\r\n"));
    }

    [Test]
    public async Task HtmlAndMarkdown_SayTheSameCountsAndKeepOwnersText()
    {
        var (_, files) = await Generate(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var html = files.Single(f => f.Format == ReportFormat.Html).Content;
        var md = files.Single(f => f.Format == ReportFormat.Markdown).Content;
        const string heading = "Triage: 2 overdue (new or under review more than 7 days after first seen)";
        const string counts = "new 2 · under review 1 · approved 1 · blocked 0 · false positive 1";
        Assert.That(System.Net.WebUtility.HtmlDecode(html), Does.Contain(heading).And.Contain(counts));
        Assert.That(md, Does.Contain("### " + heading).And.Contain(counts));
        Assert.That(html, Does.Contain("&lt;b&gt;alice&lt;/b&gt;").And.Not.Contain("<b>alice</b>"));
        var json = files.Single(f => f.Format == ReportFormat.Json).Content;
        Assert.That(json, Does.Contain("\"overdue\": 2").Or.Contain("\"overdue\":2"));
    }
}
