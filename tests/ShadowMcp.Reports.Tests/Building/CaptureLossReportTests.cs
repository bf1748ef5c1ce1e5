using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Tests.Building;

/// <summary>
/// The weekly summary says which captures of the period may be missing findings: packets a live session dropped
/// before the sensor read them, endpoints a flood pushed out of the detection limits. Captures of other weeks and
/// captures that lost nothing stay out; the seeded store's own captures lost nothing, so its report has no such line.
/// </summary>
public sealed class CaptureLossReportTests
{
    private static readonly DateTime W47 = new(2026, 11, 18, 12, 0, 0, DateTimeKind.Utc);
    private SeededStore _store = null!;

    [SetUp]
    public void SetUp() => _store = SeededStore.Create();

    [TearDown]
    public void TearDown() => _store.Dispose();

    private void Save(string source, ScanStats stats, DateTime at)
    {
        using var store = FindingStore.Open(_store.DbPath);
        store.SaveFileResult(source, "sha-" + source, 0, stats, null, [], at);
    }

    private Task<(ReportDocument Document, IReadOnlyList<ReportFile> Files)> Generate() =>
        new ReportGenerator(ReportSources.NotConfigured(), new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)))
            .GenerateAsync(_store.DbPath, ReportPeriod.ForWeek("2026-W47", TimeZones.Find("UTC")), ReportFormats.All, null, CancellationToken.None);

    [Test]
    public async Task NothingLost_NoCaptureLine()
    {
        var (doc, files) = await Generate();

        Assert.That(doc.CaptureLoss!.Captures, Is.Zero);
        Assert.That(files.Single(f => f.Format == ReportFormat.Html).Content, Does.Not.Contain("may be missing findings"));
    }

    [Test]
    public async Task DroppedPacketsAndEndpointsGivenUp_InTheSummary_WorstFirst_OtherWeeksLeftOut()
    {
        Save("live:eth1", new ScanStats { CaptureReceived = 1_000, CaptureDropped = 1_200, CaptureInterfaceDropped = 34 }, W47);
        Save("sensor:edge-1/<flood>.pcap", new ScanStats { EndpointsEvicted = 5_000, EndpointHitsFolded = 70, NamesDisplaced = 2, UntrustedResolverAnswers = 3 }, W47.AddHours(1));
        Save("quiet.pcap", new ScanStats { Packets = 10 }, W47);
        Save("last-week.pcap", new ScanStats { EndpointsEvicted = 9 }, W47.AddDays(-7));

        var (doc, files) = await Generate();

        var loss = doc.CaptureLoss!;
        Assert.That((loss.Captures, loss.PacketsDropped, loss.EndpointsGivenUp), Is.EqualTo((2, 1_234L, 5_000L)));
        Assert.That(loss.Top.Select(l => (l.Source, l.PacketsDropped, l.EndpointsGivenUp, l.DetailsGivenUp, l.UntrustedAnswersIgnored)), Is.EqualTo(new[]
        {
            ("sensor:edge-1/<flood>.pcap", 0L, 5_000L, 72L, 3L),
            ("live:eth1", 1_234L, 0L, 0L, 0L),
        }));
        Assert.That(doc.Summary!.CaptureLoss, Is.SameAs(loss));
        var html = files.Single(f => f.Format == ReportFormat.Html).Content;
        Assert.That(html, Does.Contain("<b>2</b> captures of the period may be missing findings: 1,234 packets dropped"));
        Assert.That(html, Does.Contain("<code>sensor:edge-1/&lt;flood&gt;.pcap</code>"), "a sensor's source is encoded");
        Assert.That(html, Does.Contain(">5,000<"));
        var md = files.Single(f => f.Format == ReportFormat.Markdown).Content;
        Assert.That(md, Does.Contain("**2** captures of the period may be missing findings"));
        Assert.That(md, Does.Contain("| live:eth1 | 2026-11-18 12:00:00Z | 1,234 | 0 | 0 | 0 |"));
        using var json = JsonDocument.Parse(files.Single(f => f.Format == ReportFormat.Json).Content);
        Assert.That(json.RootElement.GetProperty("captureLoss").GetProperty("endpointsGivenUp").GetInt64(), Is.EqualTo(5_000));
    }

    [Test]
    public async Task HostileSensorsCounters_AtTheirLimit_TheReportStillComes_TotalsHeldAtTheLimit()
    {
        // Two captures of a sensor that claims the most a counter holds: the week's totals would overflow a long.
        var most = new ScanStats { CaptureDropped = long.MaxValue, CaptureInterfaceDropped = 1, EndpointsEvicted = long.MaxValue, NamesDisplaced = long.MaxValue, EndpointHitsFolded = 1 };
        Save("sensor:edge-1/a", most, W47);
        Save("sensor:edge-1/b", most, W47.AddHours(1));

        var (doc, files) = await Generate();

        var loss = doc.CaptureLoss!;
        Assert.That((loss.Captures, loss.PacketsDropped, loss.EndpointsGivenUp), Is.EqualTo((2, long.MaxValue, long.MaxValue)));
        Assert.That(loss.Top.Select(l => l.DetailsGivenUp), Is.All.EqualTo(long.MaxValue));
        Assert.That(files.Single(f => f.Format == ReportFormat.Markdown).Content, Does.Contain("**2** captures of the period may be missing findings"));
    }

    [Test]
    public async Task OnlyDetailsGivenUpOrUntrustedAnswersIgnored_NoFindingMissing_NoLine()
    {
        // Hits filed under /*, names or clients no longer listed, answers from untrusted resolvers ignored: the findings
        // are all there (the admin page says the same), so nothing here needs action.
        Save("live:eth2", new ScanStats { CaptureReceived = 10, UntrustedResolverAnswers = 3, ClientsDisplaced = 2, EndpointHitsFolded = 40 }, W47);
        Save("busy.pcap", new ScanStats { ContextEndpointsEvicted = 7, NamesDisplaced = 1, AddressNamesForgotten = 2 }, W47);

        var (doc, files) = await Generate();

        Assert.That(doc.CaptureLoss!.Captures, Is.Zero);
        Assert.That(files.Single(f => f.Format == ReportFormat.Markdown).Content, Does.Not.Contain("may be missing findings"));
    }
}
