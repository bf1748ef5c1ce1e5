namespace ShadowMcp.Core.Store;

/// <summary>
/// Turns one file's (first seen, last seen, flows) for a finding into hourly activity rows. The flows are spread
/// evenly because the file result carries no finer timing; an hour with a share of zero still records that the
/// endpoint was active.
/// </summary>
internal static class FindingActivitySpreader
{
    /// <summary>A capture longer than this is recorded over its first hours only; no real file spans that long.</summary>
    internal const int MaxHours = 24 * 400;

    public static IEnumerable<FindingActivityRow> Spread(long findingId, long fileId, DateTime firstSeen, DateTime lastSeen, int flows)
    {
        var first = HourOf(firstSeen);
        var last = HourOf(lastSeen < firstSeen ? firstSeen : lastSeen);
        var hours = (int)Math.Min(MaxHours, (last - first).Ticks / TimeSpan.TicksPerHour + 1);
        var share = Math.Max(0, flows) / hours;
        var remainder = Math.Max(0, flows) % hours;
        for (var i = 0; i < hours; i++)
            yield return new FindingActivityRow
            {
                FindingId = findingId,
                ScannedFileId = fileId,
                Hour = first.AddHours(i),
                Flows = share + (i < remainder ? 1 : 0),
            };
    }

    internal static DateTime HourOf(DateTime t)
    {
        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
    }
}
