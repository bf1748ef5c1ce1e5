using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Text;

/// <summary>Formula starts are defused wherever a spreadsheet could begin a cell: at the start, and after ; , tab or a line break.</summary>
public sealed class CsvTextTests
{
    [TestCase("=1+1", "'=1+1")]
    [TestCase("@SUM(A1)", "'@SUM(A1)")]
    [TestCase("x;=HYPERLINK(\"http://a.test\")", "x;'=HYPERLINK(\"http://a.test\")")]
    [TestCase("a,+1;-2", "a,'+1;'-2")]
    [TestCase("line\n=cmd", "line\n'=cmd")]
    public void Defuse_FormulaStarts_GetAnApostrophe(string value, string defused) =>
        Assert.That(CsvText.Defuse(value), Is.EqualTo(defused));

    [TestCase("2026-11-18T11:00:00Z")]
    [TestCase("mcp.dev.corp; api.corp")]
    [TestCase("claude-code 2.1")]
    public void Defuse_OrdinaryValues_AreTheSameString(string value) =>
        Assert.That(CsvText.Defuse(value), Is.SameAs(value));
}
