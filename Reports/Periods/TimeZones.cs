namespace ShadowMcp.Reports.Periods;

/// <summary>Looks up an IANA (or Windows) time zone id with an error that names it.</summary>
public static class TimeZones
{
    public static TimeZoneInfo Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Equals("UTC", StringComparison.OrdinalIgnoreCase)) return TimeZoneInfo.Utc;
        if (id.Equals("local", StringComparison.OrdinalIgnoreCase)) return TimeZoneInfo.Local;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ReportInputException($"time zone '{id}' is not known (use an IANA id such as Europe/Berlin, or UTC).");
        }
    }
}
