using System.Globalization;

namespace ShadowMcp.Admin.Findings;

/// <summary>"New this week" means first seen on or after Monday 00:00 UTC of the current ISO week.</summary>
internal static class FindingWeek
{
    public static DateTime Start(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var monday = ISOWeek.ToDateTime(ISOWeek.GetYear(now), ISOWeek.GetWeekOfYear(now), DayOfWeek.Monday);
        return DateTime.SpecifyKind(monday, DateTimeKind.Utc);
    }
}
