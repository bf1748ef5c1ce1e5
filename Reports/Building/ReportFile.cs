using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Building;

/// <summary>One written format of a report: its file name ("report-2026-W47.html") and UTF-8 content.</summary>
public sealed record ReportFile(ReportFormat Format, string FileName, string MediaType, string Content);
