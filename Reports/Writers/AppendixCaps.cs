namespace ShadowMcp.Reports.Writers;

/// <summary>
/// How much of each evidence list the human formats print. The CSV and JSON always carry everything; the admin UI
/// has the full, filterable lists. The caps keep a 20 000-finding report a few pages long.
/// </summary>
internal static class AppendixCaps
{
    /// <summary>Rows per appendix section in the HTML page and the Markdown file.</summary>
    public const int Screen = 200;
    /// <summary>Rows per appendix section when the HTML page is printed (to PDF).</summary>
    public const int Print = 25;
    /// <summary>Per-server evidence blocks when printed: each is a dozen lines, so fewer of them.</summary>
    public const int PrintEvidenceBlocks = 5;
}
