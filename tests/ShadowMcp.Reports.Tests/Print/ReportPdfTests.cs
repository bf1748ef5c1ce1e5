using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;
using ShadowMcp.Tests;

namespace ShadowMcp.Reports.Tests.Print;

/// <summary>
/// The printed week a security lead takes to a meeting: a store with 20,000 findings prints as a few pages in
/// Debian's Chromium (`--print-to-pdf`), with the executive summary on page 1. Page count and text come from
/// poppler (`pdfinfo`, `pdftotext`), not from our own HTML.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class ReportPdfTests
{
    private const int MaxPages = 8;

    [Test]
    public async Task TwentyThousandFindings_PrintOnAFewPages_WithTheSummaryFirst()
    {
        ExternalTools.Require("apt-get install chromium poppler-utils", "chromium", "pdfinfo", "pdftotext");
        var dir = Directory.CreateTempSubdirectory("shadowmcp-pdf-").FullName;
        try
        {
            var db = Path.Combine(dir, "store.db");
            Seed(db, 20_000);
            var (_, files) = await new ReportGenerator(ReportSources.NotConfigured(),
                    new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)))
                .GenerateAsync(db, ReportPeriod.ForWeek("2026-W47", TimeZones.Find("UTC")), [ReportFormat.Html], null, CancellationToken.None);
            var html = Path.Combine(dir, "report.html");
            await File.WriteAllTextAsync(html, files.Single().Content);
            var pdf = Path.Combine(dir, "report.pdf");

            var (code, output) = await Run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                $"--user-data-dir={Path.Combine(dir, "profile")}", $"--print-to-pdf={pdf}", new Uri(html).AbsoluteUri);
            Assert.That(File.Exists(pdf), Is.True, () => $"chromium exit {code}: {output}");

            var (_, info) = await Run("pdfinfo", pdf);
            var pages = int.Parse(info.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal))[6..].Trim(),
                CultureInfo.InvariantCulture);
            TestContext.Out.WriteLine($"{pages} pages");
            var (_, first) = await Run("pdftotext", "-f", "1", "-l", "1", "-layout", pdf, "-");

            Assert.Multiple(() =>
            {
                Assert.That(pages, Is.InRange(1, MaxPages));
                Assert.That(first, Does.Contain("Executive summary"));
                Assert.That(first, Does.Contain("20,000").Or.Contain("15,000").Or.Contain("new shadow servers"),
                    "page 1 carries the summary's numbers");
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Shadow, suspected and sanctioned endpoints seen in 2026-W47, each with its own client.</summary>
    private static void Seed(string db, int count)
    {
        var at = new DateTime(2026, 11, 18, 10, 0, 0, DateTimeKind.Utc);
        var findings = new List<Finding>(count);
        for (var i = 0; i < count; i++)
        {
            var ip = $"10.{i / 65536}.{i / 256 % 256}.{i % 256}";
            var f = SeededStore.Shadow(new Endpoint(ip, 8000, null, "/mcp"), at.AddMinutes(i % 600), 1 + i % 7,
                $"172.16.{i % 50}.{i % 200}", $"server-{i % 97}");
            f.Verdict = (i % 4) switch { 0 => Verdict.Suspected, 1 when i % 40 == 1 => Verdict.Sanctioned, _ => Verdict.Shadow };
            findings.Add(f);
        }
        using var store = FindingStore.Open(db);
        store.SaveFileResult("w47.pcap", "sha-w47", 1, new ScanStats(), null, findings, at);
    }

    private static async Task<(int Code, string Output)> Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (p.ExitCode, await stdout + await stderr);
    }
}
