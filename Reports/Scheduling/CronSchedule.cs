using Quartz;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>A validated Quartz cron expression in a time zone, and the last time it was due.</summary>
internal sealed class CronSchedule
{
    private readonly CronExpression _cron;

    public CronSchedule(string expression, TimeZoneInfo zone)
    {
        Expression = expression;
        try
        {
            _cron = new CronExpression(expression, zone);
        }
        catch (FormatException ex)
        {
            throw new ReportInputException($"Reports:Cron '{expression}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 6 ? * MON'): {ex.Message}");
        }
        if (_cron.GetNextValidTimeAfter(DateTimeOffset.UtcNow) is null)
            throw new ReportInputException($"Reports:Cron '{expression}' never fires again.");
    }

    public string Expression { get; }

    public TimeZoneInfo TimeZone => _cron.TimeZone;

    /// <summary>The latest fire time at or before <paramref name="now"/>.</summary>
    public DateTimeOffset? LastDueAtOrBefore(DateTimeOffset now)
    {
        // Fire times are whole seconds; "before now + 1 s" includes a fire exactly at now.
        var last = _cron.GetPreviousValidTimeBefore(now.AddSeconds(1));
        while (last is { } t && t > now) last = _cron.GetPreviousValidTimeBefore(t);
        return last;
    }
}
