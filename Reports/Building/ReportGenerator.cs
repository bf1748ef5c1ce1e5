using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Building;

/// <summary>
/// Opens (and migrates) the store, builds the report and renders the requested formats. <paramref name="time"/>
/// (default: the system clock) only decides whether the period is still in progress ("partial" in the summary).
/// </summary>
public sealed class ReportGenerator(ReportSources sources, TimeProvider? time = null)
{
    public async Task<(ReportDocument Document, IReadOnlyList<ReportFile> Files)> GenerateAsync(
        string databasePath, ReportPeriod period, IReadOnlyList<ReportFormat> formats, DateTime? generatedAt, CancellationToken cancellationToken)
    {
        using var store = FindingStore.Open(databasePath);
        var document = await new ReportBuilder(sources, time).BuildAsync(store, period, generatedAt, cancellationToken).ConfigureAwait(false);
        return (document, Render(document, period, formats));
    }

    public static IReadOnlyList<ReportFile> Render(ReportDocument document, ReportPeriod period, IReadOnlyList<ReportFormat> formats) =>
        [.. formats.Distinct().Order().Select(f => ReportFormats.WriterFor(f)).Select(w =>
            new ReportFile(w.Format, $"report-{period.FileStem}.{w.Extension}", w.MediaType, w.Write(document)))];

    /// <summary>Writes each file next to a temporary name first, so a reader never sees half a report.</summary>
    public static IReadOnlyList<string> WriteTo(string directory, IReadOnlyList<ReportFile> files)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file.FileName);
            var temp = path + ".tmp";
            File.WriteAllText(temp, file.Content, new System.Text.UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
            paths.Add(path);
        }
        return paths;
    }
}
