using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Scheduling;

namespace ShadowMcp.Reports.Tests.Scheduling;

public sealed class WeeklyReportRunnerTests
{
    private SeededStore _store = null!;

    [SetUp]
    public void SetUp() => _store = SeededStore.Create();

    [TearDown]
    public void TearDown() => _store.Dispose();

    private WeeklyReportRunner Runner(FakeTimeProvider time, string cron = "0 0 6 ? * MON") =>
        new(Options.Create(new ReportsOptions
        {
            Cron = cron, TimeZone = "Europe/Berlin", Database = _store.DbPath,
            OutputDirectory = Path.Combine(_store.Directory, "reports"), Formats = ["html", "json"],
        }), ReportSources.NotConfigured(), time, NullLogger<WeeklyReportRunner>.Instance);

    [Test]
    public async Task RunDueAsync_HostWasDownAtMondaySix_MakesLastWeeksReportOnceAtNextStart()
    {
        // Due Monday 2026-11-23 06:00 Berlin; the host comes back on Tuesday.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

        var first = await Runner(time).RunDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(5));
        var second = await Runner(time).RunDueAsync(CancellationToken.None);

        Assert.That(first, Is.EqualTo("2026-W47"));
        Assert.That(second, Is.Null, "a restart must not make the same report again");
        var dir = Path.Combine(_store.Directory, "reports");
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "report-2026-W47.html", "report-2026-W47.json" }));
        Assert.That(File.ReadAllText(Path.Combine(dir, "report-2026-W47.json")), Does.Contain("\"generatedAt\": \"2026-11-24T09:00:00Z\""));
        var run = new ReportRunLog(_store.DbPath).List().Single();
        Assert.That(run.Period, Is.EqualTo("2026-W47"));
        Assert.That(run.Status, Is.EqualTo("done"));
        Assert.That(run.DueAt, Is.EqualTo(new DateTimeOffset(2026, 11, 23, 5, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task RunDueAsync_MadeReport_CountsOneRunAndARestartCountsNone()
    {
        var runs = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter.Name == SchedulerMetrics.MeterName) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var (k, v) in tags) if (k == "result") lock (runs) runs.Add(v!.ToString()!);
        });
        listener.Start();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

        await Runner(time).RunDueAsync(CancellationToken.None);
        await Runner(time).RunDueAsync(CancellationToken.None);

        // The meter is process-wide; this assembly's tests run one at a time, so only this test's runs are seen.
        Assert.That(runs, Is.EqualTo(new[] { "made" }));
    }

    [Test]
    public async Task RunDueAsync_BeforeTheFirstFireOfTheWeek_MakesThePreviousDueReportOnly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        await Runner(time).RunDueAsync(CancellationToken.None);

        // A week later, Monday 05:59 Berlin: the next report is not due yet.
        time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 4, 59, 0, TimeSpan.Zero));
        Assert.That(await Runner(time).RunDueAsync(CancellationToken.None), Is.Null);

        time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero));
        Assert.That(await Runner(time).RunDueAsync(CancellationToken.None), Is.EqualTo("2026-W48"));
        Assert.That(new ReportRunLog(_store.DbPath).List().Select(r => r.Period), Is.EqualTo(new[] { "2026-W47", "2026-W48" }));
    }

    [Test]
    public void TryClaim_TwoClaimsForOnePeriod_OnlyTheFirstWins()
    {
        var log = new ReportRunLog(_store.DbPath);
        var now = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

        Assert.That(log.TryClaim("2026-W47", now, now), Is.True);
        Assert.That(log.TryClaim("2026-W47", now, now.AddMinutes(1)), Is.False);
        log.Finish("2026-W47", now, "disk full");
        Assert.That(log.TryClaim("2026-W47", now, now.AddMinutes(2)), Is.True, "a failed run is retried");
    }

    [TestCase("0 61 6 ? * MON")]
    [TestCase("every monday")]
    [TestCase("0 0 25 ? * MON")]
    public void AddShadowMcpReports_BadCron_FailsAtStartNamingTheExpression(string cron)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Reports:Cron"] = cron }).Build();
        using var provider = new ServiceCollection().AddLogging().AddShadowMcpReports(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<ReportsOptions>>().Value);
        Assert.That(ex!.Message, Does.Contain($"'{cron}'").And.Contain("cron"));
    }

    [Test]
    public void AddShadowMcpReports_GoodConfig_BindsSectionAndRegistersTheRunner()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reports:Cron"] = "0 30 7 ? * TUE", ["Reports:TimeZone"] = "Europe/Berlin", ["Reports:Formats:0"] = "md",
            ["Reports:Webhook:Url"] = "http://127.0.0.1:9/hook", ["Reports:Webhook:Secret"] = "s3cret",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddShadowMcpReports(config).AddShadowMcpReports(config).BuildServiceProvider();

        var o = provider.GetRequiredService<IOptions<ReportsOptions>>().Value;
        Assert.That(o.Cron, Is.EqualTo("0 30 7 ? * TUE"));
        Assert.That(o.Formats, Is.EqualTo(new[] { "md" }));
        Assert.That(provider.GetServices<WeeklyReportRunner>().Count(), Is.EqualTo(1));
    }
}
