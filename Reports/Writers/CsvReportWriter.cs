using System.Text;
using ShadowMcp.Core.Text;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>
/// The findings active in the period, one per row, RFC 4180: CRLF line ends, fields with a comma, quote or line
/// break are quoted and inner quotes doubled. Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a
/// leading apostrophe, because hostnames and server names come from the wire. <c>basis</c> and <c>bases</c> are the
/// wire names of the legend the other formats print (docs/reports.md).
/// </summary>
internal sealed class CsvReportWriter : IReportWriter
{
    private static readonly string[] Header =
    [
        "endpoint", "verdict", "status", "transport", "hosts", "protocol_versions", "server_name", "server_version",
        "confidence", "first_seen", "last_seen", "flows_in_period", "clients", "rules", "enforcement", "verdict_reason", "triage",
        "basis", "bases",
    ];

    public ReportFormat Format => ReportFormat.Csv;
    public string Extension => "csv";
    public string MediaType => "text/csv";

    public string Write(ReportDocument report)
    {
        var sb = new StringBuilder();
        Row(sb, Header);
        foreach (var f in report.Findings)
            Row(sb,
            [
                Safe(f.Endpoint), f.Verdict, f.Status, Safe(f.Transport), Safe(f.Hosts), Safe(f.ProtocolVersions), Safe(f.ServerName), Safe(f.ServerVersion),
                Text.Number(f.Confidence), Text.Time(f.FirstSeen), Text.Time(f.LastSeen), Text.Number(f.FlowsInPeriod),
                Safe(f.Clients), Safe(f.Rules), Safe(f.Enforcement), Safe(f.VerdictReason), f.Triage,
                f.Basis, f.Bases,
            ]);
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, IReadOnlyList<string> fields) => CsvText.AppendRow(sb, fields);

    internal static void Field(StringBuilder sb, string value) => CsvText.AppendField(sb, value);

    internal static string Safe(string? value) => CsvText.Defuse(value);
}
