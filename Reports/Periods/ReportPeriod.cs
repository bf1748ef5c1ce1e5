using System.Globalization;

namespace ShadowMcp.Reports.Periods;

/// <summary>
/// The span a report covers: [<see cref="FromUtc"/>, <see cref="ToUtc"/>). <see cref="Label"/> is "2026-W47" for an
/// ISO week, else "2026-11-01..2026-11-08" in the time zone's local dates.
/// </summary>
public sealed record ReportPeriod(string Label, DateTime FromUtc, DateTime ToUtc, TimeZoneInfo TimeZone, bool IsIsoWeek)
{
    /// <summary>A name safe for files: "2026-W47" or "20261101-20261108".</summary>
    public string FileStem => IsIsoWeek ? Label : Label.Replace("-", "", StringComparison.Ordinal).Replace("..", "-", StringComparison.Ordinal);

    public DateTime FromLocal => TimeZoneInfo.ConvertTimeFromUtc(FromUtc, TimeZone);

    public DateTime ToLocal => TimeZoneInfo.ConvertTimeFromUtc(ToUtc, TimeZone);

    /// <summary>"2026-W47": Monday 00:00 to the next Monday 00:00 in <paramref name="zone"/>.</summary>
    public static ReportPeriod ForWeek(string week, TimeZoneInfo zone)
    {
        var (year, number) = IsoWeekText.Parse(week);
        return ForWeek(year, number, zone);
    }

    public static ReportPeriod ForWeek(int year, int week, TimeZoneInfo zone)
    {
        var monday = ISOWeek.ToDateTime(year, week, DayOfWeek.Monday);
        return new ReportPeriod(IsoWeekText.Format(year, week), LocalToUtc(monday, zone), LocalToUtc(monday.AddDays(7), zone), zone, true);
    }

    /// <summary>The ISO week that contains <paramref name="utc"/> in <paramref name="zone"/>.</summary>
    public static ReportPeriod WeekContaining(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return ForWeek(ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local), zone);
    }

    /// <summary>Local dates (or date-times) <paramref name="from"/> inclusive to <paramref name="to"/> exclusive.</summary>
    public static ReportPeriod ForRange(string from, string to, TimeZoneInfo zone)
    {
        var f = ParseLocal(from, "--from");
        var t = ParseLocal(to, "--to");
        if (t <= f) throw new ReportInputException($"--to '{to}' must be after --from '{from}'.");
        var label = $"{f.ToString(f.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)}.." +
                    $"{t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)}";
        return new ReportPeriod(label, LocalToUtc(f, zone), LocalToUtc(t, zone), zone, false);
    }

    /// <summary>The ISO week <paramref name="weeks"/> weeks before (negative) or after this period's start week.</summary>
    public ReportPeriod ShiftWeeks(int weeks)
    {
        var local = FromLocal;
        var monday = ISOWeek.ToDateTime(ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local), DayOfWeek.Monday).AddDays(7 * weeks);
        return ForWeek(ISOWeek.GetYear(monday), ISOWeek.GetWeekOfYear(monday), TimeZone);
    }

    private static DateTime ParseLocal(string text, string option)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"];
        if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw new ReportInputException($"{option} '{text}' is not a date (expected yyyy-MM-dd or yyyy-MM-ddTHH:mm).");
        return DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
    }

    /// <summary>Local wall time to UTC; a time skipped by a DST jump maps to the first valid instant after it.</summary>
    internal static DateTime LocalToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
