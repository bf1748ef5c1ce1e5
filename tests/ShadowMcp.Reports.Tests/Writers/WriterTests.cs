using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Tests.Writers;

public sealed class WriterTests
{
    private SeededStore _store = null!;
    private IReadOnlyList<ReportFile> _files = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _store = SeededStore.Create();
        (_, _files) = await new ReportGenerator(ReportSources.NotConfigured())
            .GenerateAsync(_store.DbPath, ReportPeriod.ForWeek("2026-W47", TimeZoneInfo.Utc), ReportFormats.All, null, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _store.Dispose();

    private string Content(ReportFormat f) => _files.Single(x => x.Format == f).Content;

    [Test]
    public void Html_IsSelfContainedWithSvgCharts()
    {
        var html = Content(ReportFormat.Html);

        Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(Regex.Matches(html, "<svg "), Has.Count.EqualTo(2));
        Assert.That(html, Does.Not.Match(@"(?i)(src|href)\s*=\s*[""']?\s*(https?:)?//"));
        Assert.That(html, Does.Not.Match(@"(?i)url\(|@import|<script|<link"));
        Assert.That(html, Does.Contain("@media print"));
    }

    [Test]
    public void Html_ShowsHeadlineServerEvidenceAndMissingSources()
    {
        var html = Content(ReportFormat.Html);

        Assert.That(html, Does.Contain("<div class=\"card\"><b>1</b>New shadow servers</div>"));
        Assert.That(html, Does.Contain("<div class=\"card\"><b>1</b>Gone</div>"));
        Assert.That(html, Does.Contain("<code>10.0.0.5:8123/mcp</code>"));
        Assert.That(html, Does.Contain("everything, &quot;beta&quot; 1.0"));
        Assert.That(html, Does.Contain("<td>mcp-initialize-request</td>"));
        Assert.That(html, Does.Contain("No portal data source is configured"));
        Assert.That(html, Does.Contain("No enforcement state source is configured"));
        Assert.That(html, Does.Contain("No audit log is configured."));
        Assert.That(html, Does.Contain("Reverse DNS is not configured"));
    }

    [Test]
    public void Html_HeadlineHasEveryMeasureTheMarkdownHeadlineHas()
    {
        var md = Content(ReportFormat.Markdown);
        var sanctioned = Regex.Match(md, @"\| Sanctioned endpoints seen \| (\d+) \|");
        Assert.That(sanctioned.Success, Is.True, "the Markdown headline carries the measure");

        Assert.That(Content(ReportFormat.Html), Does.Contain($"<div class=\"card\"><b>{sanctioned.Groups[1].Value}</b>Sanctioned endpoints seen</div>"));
    }

    [Test]
    public void Markdown_HasHeadlineTableAndEscapesStoreText()
    {
        var md = Content(ReportFormat.Markdown);

        Assert.That(md, Does.Contain("| New shadow servers | 1 |"));
        Assert.That(md, Does.Contain("| Still active shadow servers | 1 |"));
        Assert.That(md, Does.Contain("| Blocked | n/a |"));
        Assert.That(md, Does.Contain("### 10.0.0.5:8123/mcp"));
        Assert.That(md, Does.Contain("=cmd\\|calc"), "a pipe from the wire must not split the table");
        Assert.That(md, Does.Contain("| mcp\\-initialize\\-request |").Or.Contain("| mcp-initialize-request |"));
    }

    [Test]
    public void Csv_QuotesPerRfc4180AndDefusesFormulas()
    {
        var csv = Content(ReportFormat.Csv);
        var rows = ParseCsv(csv);

        Assert.That(csv, Does.EndWith("\r\n"));
        Assert.That(rows[0][0], Is.EqualTo("endpoint"));
        Assert.That(rows, Has.Count.EqualTo(5));
        Assert.That(rows.Skip(1).Select(r => r.Count), Is.All.EqualTo(rows[0].Count));
        var fresh = rows.Single(r => r[0] == SeededStore.NewServer);
        Assert.That(fresh[rows[0].IndexOf("server_name")], Is.EqualTo("everything, \"beta\""));
        Assert.That(fresh[rows[0].IndexOf("hosts")], Is.EqualTo("'=cmd|calc"));
        Assert.That(fresh[rows[0].IndexOf("clients")], Is.EqualTo("10.0.0.7 10.0.0.8"));
        Assert.That(fresh[rows[0].IndexOf("rules")], Is.EqualTo("mcp-initialize-request"));
        Assert.That(csv, Does.Contain("\"everything, \"\"beta\"\"\""));
        Assert.That(rows.Select(r => r[1]).Skip(1), Is.EqualTo(new[] { "shadow", "shadow", "suspected", "sanctioned" }));
    }

    [Test]
    public void Json_ParsesWithHeadlineAndEvidence()
    {
        using var doc = JsonDocument.Parse(Content(ReportFormat.Json));
        var root = doc.RootElement;

        Assert.That(root.GetProperty("period").GetProperty("label").GetString(), Is.EqualTo("2026-W47"));
        Assert.That(root.GetProperty("headline").GetProperty("newShadowServers").GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("headline").GetProperty("blocked").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.GetProperty("generatedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var server = root.GetProperty("servers").EnumerateArray().Single(s => s.GetProperty("endpoint").GetString() == SeededStore.NewServer);
        Assert.That(server.GetProperty("evidence")[0].GetProperty("rule").GetString(), Is.EqualTo("mcp-initialize-request"));
        Assert.That(root.GetProperty("portal").GetProperty("status").GetProperty("configured").GetBoolean(), Is.False);
    }

    /// <summary>A strict RFC 4180 reader: quoted fields may hold commas, CRLF and doubled quotes.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && text[i + 1] == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i++; }
            else field.Append(c);
        }
        return rows;
    }
}
