using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// End to end: a real MCP session captured over TLS, scanned without its key log, is stored as a finding made on
/// shape alone, and the weekly report of its week says so ("shape", a lead) in JSON, CSV and Markdown.
/// </summary>
public sealed class ShapeReportTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("shadowmcp-shape-report-").FullName;

    [TearDown]
    public void RemoveFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task KeylessCapture_ScannedIntoTheStore_ReportSaysShape()
    {
        var db = Path.Combine(_dir, "store.db");
        var classifier = McpClassifier.Create(RepoPaths.Rules);
        var model = ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"));
        using (var store = FindingStore.Open(db))
        {
            var report = new ScanRunner(classifier, store, NullLogger.Instance) { ShapeModel = model }
                .Run([Path.Combine(RepoPaths.Corpus, "shape", "pcaps", "mcp-ts-agent-stateful.pcap")]);
            Assert.That(report.Errors, Is.Empty);
        }
        Finding finding;
        using (var store = FindingStore.Open(db)) finding = store.LoadFindings().Single();

        var (_, files) = await new ReportGenerator(ReportSources.NotConfigured()).GenerateAsync(db,
            ReportPeriod.WeekContaining(finding.LastSeen, TimeZoneInfo.Utc), ReportFormats.All, null, CancellationToken.None);

        var key = finding.Endpoint.Key;
        using var json = JsonDocument.Parse(files.Single(f => f.Format == ReportFormat.Json).Content);
        var line = json.RootElement.GetProperty("findings").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Evidence.Select(e => e.Rule), Has.All.StartWith("mcp-shape-"), "the capture gave a shape finding");
            Assert.That(line.GetProperty("endpoint").GetString(), Is.EqualTo(key));
            Assert.That(line.GetProperty("basis").GetString(), Is.EqualTo("shape"));
            Assert.That(line.GetProperty("bases").GetString(), Is.EqualTo("shape"));
            Assert.That(files.Single(f => f.Format == ReportFormat.Csv).Content.Split("\r\n")[1], Does.EndWith(",shape,shape"));
            Assert.That(files.Single(f => f.Format == ReportFormat.Markdown).Content,
                Does.Contain($"| {key} | shape |").And.Contain("a lead: confirm before acting"));
        });
    }
}
