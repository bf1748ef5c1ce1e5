using System.Text.Json;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>The whole document, indented camelCase JSON; property order is the model's declaration order.</summary>
internal sealed class JsonReportWriter : IReportWriter
{
    public ReportFormat Format => ReportFormat.Json;
    public string Extension => "json";
    public string MediaType => "application/json";

    public string Write(ReportDocument report) => JsonSerializer.Serialize(report, JsonDefaults.Indented).ReplaceLineEndings("\n") + "\n";
}
