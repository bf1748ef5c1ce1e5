using System.Text.Json;
using Microsoft.Data.Sqlite;
using NUnit.Framework.Internal;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;
using ShadowMcp.Tests;

namespace ShadowMcp.Reports.Tests.Writers;

/// <summary>
/// Every report format says on what each finding was made, with a legend: a shadow server seen in plaintext is
/// "content", a suspected endpoint seen only by its encrypted flows' shape is "shape" (a lead), one only
/// <c>shadowmcp probe</c> saw is "probe", and a DNS name on the known-host list is "name". Run on SQLite and on
/// PostgreSQL, as the report reads the sources' kinds with its own SQL.
/// </summary>
[TestFixtureSource(nameof(Engines))]
public sealed class BasisReportTests(bool postgres)
{
    private const string ContentServer = "10.0.0.5:8123/mcp";
    private const string ShapeEndpoint = "10.0.0.77:443";
    private const string ProbeServer = "10.0.0.8:3000/mcp";
    private const string NameEndpoint = "mcp.notion.com";
    private static readonly DateTime W47 = new(2026, 11, 18, 10, 0, 0, DateTimeKind.Utc);

    private string _dir = "";
    private IReadOnlyList<ReportFile> _files = null!;

    public static IEnumerable<TestFixtureData> Engines()
    {
        yield return new TestFixtureData(false).SetArgDisplayNames("sqlite");
        var pg = new TestFixtureData(true).SetArgDisplayNames("postgres");
        pg.Properties.Add(PropertyNames.Category, "Integration");
        yield return pg;
    }

    [OneTimeSetUp]
    public async Task Generate()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-basis-").FullName;
        var target = postgres ? LocalPostgres.CreateDatabase("basis") : Path.Combine(_dir, "store.db");
        using (var store = FindingStore.Open(target))
        {
            var shape = Suspected(new Endpoint("10.0.0.77", 443, null, null), Transports.Tls, "mcp-shape-session", "score=0.93 clients=one");
            var name = Suspected(new Endpoint(null, null, NameEndpoint, null), Transports.Dns, "mcp-known-host-dns", "query=mcp.notion.com");
            store.SaveFileResult("w47.pcap", "sha-47", 1, new ScanStats(), null,
                [SeededStore.Shadow(new Endpoint("10.0.0.5", 8123, null, "/mcp"), W47, 5, "10.0.0.7", "everything"), shape, name], W47);
            store.SaveFileResult(BasisRules.ProbeSourcePath, "probe:47", 0, new ScanStats(), null,
                [SeededStore.Shadow(new Endpoint("10.0.0.8", 3000, null, "/mcp"), W47, 1, "10.0.0.2", "probed")], W47);
        }
        (_, _files) = await new ReportGenerator(ReportSources.NotConfigured())
            .GenerateAsync(target, ReportPeriod.ForWeek("2026-W47", TimeZoneInfo.Utc), ReportFormats.All, null, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static Finding Suspected(Endpoint endpoint, string transport, string rule, string detail)
    {
        var f = new Finding { Endpoint = endpoint, Verdict = Verdict.Suspected, Flows = 2, FirstSeen = W47, LastSeen = W47.AddMinutes(5), Transport = transport };
        f.Clients.Add("10.0.0.9");
        f.Evidence.Add(new Evidence { Rule = rule, Detail = detail, Weight = 0.4, FirstSeen = W47, LastSeen = W47 });
        return f;
    }

    private string Content(ReportFormat f) => _files.Single(x => x.Format == f).Content;

    [Test]
    public void Json_EveryFindingHasItsBasis_AndTheLegendSaysShapeIsALead()
    {
        using var doc = JsonDocument.Parse(Content(ReportFormat.Json));
        var root = doc.RootElement;
        string Of(string section, string endpoint, string field) => root.GetProperty(section).EnumerateArray()
            .Single(f => f.GetProperty("endpoint").GetString() == endpoint).GetProperty(field).ToString();

        Assert.Multiple(() =>
        {
            Assert.That(Of("findings", ContentServer, "basis"), Is.EqualTo("content"));
            Assert.That(Of("findings", ShapeEndpoint, "basis"), Is.EqualTo("shape"));
            Assert.That(Of("findings", ShapeEndpoint, "bases"), Is.EqualTo("shape"));
            Assert.That(Of("findings", ProbeServer, "basis"), Is.EqualTo("probe"));
            Assert.That(Of("findings", NameEndpoint, "basis"), Is.EqualTo("name"));
            Assert.That(Of("servers", ContentServer, "basis"), Is.EqualTo("content"));
            Assert.That(root.GetProperty("servers").EnumerateArray().Single(f => f.GetProperty("endpoint").GetString() == ProbeServer)
                .GetProperty("bases").EnumerateArray().Select(b => b.GetString()), Is.EqualTo(new[] { "probe" }));
        });
        var legend = root.GetProperty("basisLegend").EnumerateArray().ToDictionary(e => e.GetProperty("basis").GetString()!, e => e.GetProperty("sureness").GetString()!);
        Assert.That(legend.Keys, Is.EqualTo(FindingBasisNames.All.Select(b => b.ToWire())));
        Assert.That(legend["shape"], Does.Contain("lead"));
    }

    [Test]
    public void Csv_EndsEachRowWithBasisAndBases()
    {
        var lines = Content(ReportFormat.Csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string Tail(string endpoint) => string.Join(',', lines.Single(l => l.StartsWith(endpoint + ",", StringComparison.Ordinal)).Split(',')[^2..]);

        Assert.That(lines[0], Does.EndWith(",triage,basis,bases"));
        Assert.That(Tail(ShapeEndpoint), Is.EqualTo("shape,shape"));
        Assert.That(Tail(ContentServer), Is.EqualTo("content,content"));
        Assert.That(Tail(ProbeServer), Is.EqualTo("probe,probe"));
        Assert.That(Tail(NameEndpoint), Is.EqualTo("name,name"));
    }

    [Test]
    public void Markdown_ShowsTheBasisPerFinding_AndTheLegend()
    {
        var md = Content(ReportFormat.Markdown);

        Assert.That(md, Does.Contain("## Basis: how sure to be"));
        Assert.That(md, Does.Contain("| shape | Only the encrypted flows' sizes and timing, scored by the shape model. | a lead: confirm before acting |"));
        Assert.That(md, Does.Contain($"| {MarkdownReportWriter.E(ShapeEndpoint)} | shape |"), "the suspected table");
        Assert.That(md, Does.Contain($"| {MarkdownReportWriter.E(NameEndpoint)} | name |"), "the suspected table");
        var block = md[md.IndexOf($"### {MarkdownReportWriter.E(ContentServer)}", StringComparison.Ordinal)..];
        Assert.That(block[..block.IndexOf("| Rule |", StringComparison.Ordinal)], Does.Contain("- Basis: content\n"));
        Assert.That(md, Does.Contain($"| {MarkdownReportWriter.E(ShapeEndpoint)} |  | shape |"), "the summary's suspected list");
    }

    [Test]
    public void Html_ShowsTheBasisPerFinding_AndTheLegend()
    {
        var html = Content(ReportFormat.Html);

        Assert.That(html, Does.Contain("<h3 id=\"basis-legend\">Basis: how sure to be</h3>"));
        Assert.That(html, Does.Contain("<tr><td><code>shape</code></td><td>Only the encrypted flows&#39; sizes and timing, scored by the shape model.</td><td>a lead: confirm before acting</td></tr>"));
        Assert.That(html, Does.Contain($"<code>{ShapeEndpoint}</code></td><td class=\"basis\">shape</td>"), "the suspected table");
        Assert.That(html, Does.Contain($"<code>{ContentServer}</code></td><td class=\"new\">new</td><td class=\"basis\">content</td>"), "the servers table");
        Assert.That(html, Does.Contain($"<code>{ProbeServer}</code></td><td class=\"new\">new</td><td class=\"basis\">probe</td>"), "the servers table");
        Assert.That(html, Does.Contain("<tr><th>Basis</th><td>content</td></tr>"), "the evidence block");
        Assert.That(html, Does.Contain($"<code>{ShapeEndpoint}</code></td><td></td><td class=\"basis\">shape</td>"), "the summary's suspected list");
    }
}
