using ShadowMcp.Admin.Reports;

namespace ShadowMcp.Admin.Tests.Unit;

internal sealed class ReportNameTests
{
    [TestCase("report-2026-W47.html", true)]
    [TestCase("report-20261101-20261108.csv", true)]
    [TestCase("report-2026-W47.json", true)]
    [TestCase("report-2026-W47.md", true)]
    [TestCase("report-2026-W47.html.tmp", false)]
    [TestCase("report-../store.db", false)]
    [TestCase("report-..json", false)]
    [TestCase("../report-2026-W47.html", false)]
    [TestCase("report-2026 W47.html", false)]
    [TestCase("store.db", false)]
    [TestCase("report-.html", false)]
    public void IsReportName_AcceptsOnlyPlainReportFiles(string name, bool expected) =>
        Assert.That(ReportLibrary.IsReportName(name), Is.EqualTo(expected));
}
