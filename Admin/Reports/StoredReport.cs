namespace ShadowMcp.Admin.Reports;

/// <summary>A report file in the reports directory.</summary>
internal sealed record StoredReport(string FileName, string Extension, long Size, DateTime ModifiedUtc)
{
    public bool IsHtml => Extension == "html";
}
