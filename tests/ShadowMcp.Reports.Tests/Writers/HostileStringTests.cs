using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Tests.Writers;

/// <summary>
/// Every string a finding carries from the wire (path, Host/SNI names, serverInfo, clientInfo, tool names, evidence
/// detail and example) holds an attack on the weekly report's formats at once: HTML tags and attribute breaks,
/// Markdown links, images (a beacon when the report is opened) and table-breaking pipes and line breaks, and
/// spreadsheet formulas. Each format shows them as text.
/// </summary>
public sealed class HostileStringTests
{
    private const string Tag = "<img src=x onerror=alert(1)>";
    private const string Attr = "\" onmouseover=\"alert(1)";
    private const string Link = "[open](javascript:alert(1))";
    private const string Beacon = "![b](http://attacker.test/beacon.png)";
    private const string Auto = "<http://attacker.test/x>";
    private const string Break = "a|b\n# forged heading\r\n| forged | row |";
    /// <summary>Reads as "evilgithub.com" where the right-to-left override is obeyed; then a zero width and a tag.</summary>
    private const string Bidi = "evil\u202Emoc.buhtig\u200B\U000E0041";
    private const string Formula = "=HYPERLINK(\"http://attacker.test\",\"x\")";
    private const string All = Tag + Attr + Link + Beacon + Auto + Break;

    private string _dir = "";
    private IReadOnlyList<ReportFile> _files = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-report-hostile-").FullName;
        var db = Path.Combine(_dir, "store.db");
        var at = new DateTime(2026, 11, 18, 10, 0, 0, DateTimeKind.Utc);
        var f = new Finding
        {
            Endpoint = new Endpoint("10.0.0.5", 8123, null, "/mcp" + All), Verdict = Verdict.Shadow, Confidence = 0.97, Flows = 3,
            FirstSeen = at, LastSeen = at.AddMinutes(5), Server = new ServerInfo(Formula, All), Transport = Transports.StreamableHttp,
            VerdictReason = All,
        };
        f.Clients.Add("10.0.0.7");
        f.Hosts.Add("+" + All);
        f.AddressNames.Add("-" + All);
        f.ProtocolVersions.Add("@" + All);
        f.ClientApps.Add(All + " 2.1");
        f.Tools.Add(All);
        f.Tools.Add(Bidi);
        f.Evidence.Add(new Evidence
        {
            Rule = "mcp-initialize-request", Title = "MCP initialize request", Level = "high", Weight = 0.9,
            Detail = All, Example = All, FirstSeen = at, LastSeen = at,
        });
        using (var store = FindingStore.Open(db))
            store.SaveFileResult("w47.pcap", "sha-47", 1, new ScanStats(), null, [f], at);
        (_, _files) = await new ReportGenerator(ReportSources.NotConfigured())
            .GenerateAsync(db, ReportPeriod.ForWeek("2026-W47", TimeZoneInfo.Utc), ReportFormats.All, null, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void OneTimeTearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Content(ReportFormat format) => _files.Single(x => x.Format == format).Content;

    [TestCase(ReportFormat.Html)]
    [TestCase(ReportFormat.Markdown)]
    public void BidiAndInvisibleCharacters_AreShownAsEscapes(ReportFormat format)
    {
        var text = Content(format);
        Assert.Multiple(() =>
        {
            foreach (var c in new[] { "\u202E", "\u200B", "\U000E0041" })
                Assert.That(text, Does.Not.Contain(c), $"U+{char.ConvertToUtf32(c, 0):X4} is in the {format} report as is");
            Assert.That(text, Does.Contain("202Emoc.buhtig"), "shown as its escape");
        });
    }

    [Test]
    public void Html_HostileText_IsTextOnly()
    {
        var html = Content(ReportFormat.Html);

        Assert.That(html, Does.Contain("onerror=alert(1)"), "the payload is in the report");
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain("<img"));
            Assert.That(html, Does.Not.Contain("\" onmouseover="));
            Assert.That(html, Does.Not.Match(@"(?i)<[a-z]+[^>]*\son[a-z]+\s*="), "no element gets an event handler");
            Assert.That(html, Does.Not.Match(@"(?i)(href|src)\s*=\s*[""']?\s*(javascript:|https?:)"), "no link or image to the attacker");
        });
    }

    [Test]
    public void Markdown_HostileText_MakesNoLinkImageHeadingOrRow()
    {
        var md = Content(ReportFormat.Markdown);

        Assert.That(md, Does.Contain("javascript:alert"), "the payload is in the report");
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Not.Contain("](javascript:"), "a link would open javascript:");
            Assert.That(md, Does.Not.Contain("](http://attacker.test"), "an image would load from the attacker");
            // A backslash before '<' makes it text in CommonMark; only a bare one opens a tag or an autolink.
            Assert.That(md, Does.Not.Match(@"(?<!\\)<http://attacker\.test"), "an autolink");
            Assert.That(md, Does.Not.Match(@"(?<!\\)<img"), "an HTML tag");
            Assert.That(md, Does.Not.Match("(?m)^# forged"), "a forged heading");
            Assert.That(md, Does.Not.Match(@"(?m)^\| forged"), "a forged table row");
            // Every table row keeps its header's cell count: no pipe from the wire splits a cell.
            foreach (Match table in Regex.Matches(md, @"(?m)(^\|.*\|\r?\n)+"))
            {
                var rows = table.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var cells = Regex.Count(rows[0], @"(?<!\\)\|");
                foreach (var row in rows) Assert.That(Regex.Count(row, @"(?<!\\)\|"), Is.EqualTo(cells), row);
            }
        });
    }

    [Test]
    public void Csv_HostileText_NoCellStartsAFormula()
    {
        var csv = Content(ReportFormat.Csv);

        Assert.That(csv, Does.Contain("HYPERLINK"), "the payload is in the report");
        var cells = Regex.Matches(csv, "(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,\r\n]*)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value.StartsWith('"') ? m.Groups[1].Value[1..^1].Replace("\"\"", "\"") : m.Groups[1].Value);
        Assert.That(cells, Has.Member("'" + Formula), "the server name is shown as text");
        Assert.That(cells.Where(c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@' or '\t' or '\r'), Is.Empty);
    }
}
