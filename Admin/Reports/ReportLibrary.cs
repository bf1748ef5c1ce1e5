using System.Buffers;
using Microsoft.Extensions.Options;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Admin.Reports;

/// <summary>
/// The reports directory as the UI sees it: lists report files, opens one by name, and generates a week on demand
/// through <see cref="ReportGenerator"/>. Names are checked against a strict pattern before touching the disk, so a
/// request can never reach a file outside the directory.
/// </summary>
internal sealed class ReportLibrary(IOptions<AdminOptions> options, AdminStore store, ReportSources sources, TimeProvider time)
{
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
    private static readonly string[] Extensions = ["html", "md", "csv", "json"];

    public string? Directory => options.Value.ReportsDirectory is { Length: > 0 } d ? System.IO.Path.GetFullPath(d) : null;

    public IReadOnlyList<StoredReport> List()
    {
        if (Directory is not { } dir || !System.IO.Directory.Exists(dir)) return [];
        return [.. new DirectoryInfo(dir).EnumerateFiles("report-*")
            .Where(f => IsReportName(f.Name))
            .Select(f => new StoredReport(f.Name, f.Extension.TrimStart('.').ToLowerInvariant(), f.Length, f.LastWriteTimeUtc))
            .OrderByDescending(f => f.FileName, StringComparer.Ordinal)];
    }

    /// <summary>The full path of a listed report, or null for any name that is not a plain report file name.</summary>
    public string? Resolve(string fileName)
    {
        if (Directory is not { } dir || !IsReportName(fileName)) return null;
        var path = System.IO.Path.Combine(dir, fileName);
        return File.Exists(path) && string.Equals(System.IO.Path.GetDirectoryName(path), dir.TrimEnd(System.IO.Path.DirectorySeparatorChar), StringComparison.Ordinal)
            ? path : null;
    }

    public static string MediaType(string fileName) => System.IO.Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".json" => "application/json; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        _ => "text/markdown; charset=utf-8",
    };

    /// <summary>The last complete ISO week, the one "generate now" offers by default.</summary>
    public string DefaultWeek() =>
        ReportPeriod.WeekContaining(time.GetUtcNow().UtcDateTime, Zone).ShiftWeeks(-1).Label;

    /// <summary>Makes all four formats for <paramref name="week"/> and writes them; throws <see cref="ReportInputException"/> on a bad week.</summary>
    public async Task<IReadOnlyList<string>> GenerateAsync(string week, CancellationToken cancellationToken)
    {
        if (Directory is not { } dir) throw new ReportInputException("No reports directory is configured (Admin:ReportsDirectory).");
        var period = ReportPeriod.ForWeek(week, Zone);
        var generator = new ReportGenerator(sources, time);
        var (_, files) = await generator.GenerateAsync(store.Path, period, ReportFormats.All, time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
        return [.. ReportGenerator.WriteTo(dir, files).Select(p => System.IO.Path.GetFileName(p))];
    }

    private TimeZoneInfo Zone => TimeZones.Find(options.Value.ReportsTimeZone);

    internal static bool IsReportName(string name) =>
        name.Length is > 7 and <= 120
        && name.StartsWith("report-", StringComparison.Ordinal)
        && System.IO.Path.GetFileNameWithoutExtension(name).Length > "report-".Length
        && !name.AsSpan().ContainsAnyExcept(NameChars)
        && !name.Contains("..", StringComparison.Ordinal)
        && Extensions.Contains(System.IO.Path.GetExtension(name).TrimStart('.'));
}
