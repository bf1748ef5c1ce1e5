using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Reports.Writers;

/// <summary>Format names as typed on the command line and in configuration ("html", "md", "csv", "json", "all").</summary>
public static class ReportFormats
{
    public static readonly IReadOnlyList<ReportFormat> All = [ReportFormat.Html, ReportFormat.Markdown, ReportFormat.Csv, ReportFormat.Json];

    public static IReadOnlyList<ReportFormat> Parse(IEnumerable<string> names)
    {
        var set = new SortedSet<ReportFormat>();
        foreach (var raw in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            switch (raw.ToLowerInvariant())
            {
                case "all": set.UnionWith(All); break;
                case "html": set.Add(ReportFormat.Html); break;
                case "md" or "markdown": set.Add(ReportFormat.Markdown); break;
                case "csv": set.Add(ReportFormat.Csv); break;
                case "json": set.Add(ReportFormat.Json); break;
                default: throw new ReportInputException($"format '{raw}' is not known (use html, md, csv, json or all).");
            }
        }
        return set.Count == 0 ? [ReportFormat.Html] : [.. set];
    }

    public static IReportWriter WriterFor(ReportFormat format) => format switch
    {
        ReportFormat.Html => new HtmlReportWriter(),
        ReportFormat.Markdown => new MarkdownReportWriter(),
        ReportFormat.Csv => new CsvReportWriter(),
        _ => new JsonReportWriter(),
    };
}
