namespace ShadowMcp.Reports.Writers;

public enum ReportFormat
{
    Html,
    Markdown,
    Csv,
    Json,
}
