using System.Globalization;

namespace ShadowMcp.Reports.Periods;

/// <summary>Parses and formats "2026-W47".</summary>
internal static class IsoWeekText
{
    public static (int Year, int Week) Parse(string text)
    {
        var t = text.Trim();
        if (t.Length is < 7 or > 8 || t[4] != '-' || (t[5] != 'W' && t[5] != 'w')
            || !int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(t.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var week))
            throw new ReportInputException($"--week '{text}' is not an ISO week (expected e.g. 2026-W47).");
        if (year is < 1 or > 9998)
            throw new ReportInputException($"--week '{text}': year {year} is out of range.");
        var weeks = ISOWeek.GetWeeksInYear(year);
        if (week < 1 || week > weeks)
            throw new ReportInputException($"--week '{text}' does not exist: ISO year {year} has weeks 1 to {weeks}.");
        return (year, week);
    }

    public static string Format(int year, int week) => string.Create(CultureInfo.InvariantCulture, $"{year:D4}-W{week:D2}");
}
