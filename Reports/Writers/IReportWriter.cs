using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>Prints a report in one format. Output is a pure function of the document: "\n" line ends (CRLF for CSV), invariant culture.</summary>
public interface IReportWriter
{
    ReportFormat Format { get; }
    /// <summary>File extension without the dot.</summary>
    string Extension { get; }
    string MediaType { get; }
    string Write(ReportDocument report);
}
