namespace ShadowMcp.Cli.Delivery;

/// <summary>The wait before retry <c>n</c> (1-based): the first wait, doubled each time, never more than the cap.</summary>
internal static class ExponentialBackoff
{
    public static TimeSpan Delay(TimeSpan first, TimeSpan cap, int retry) =>
        TimeSpan.FromTicks(Math.Min(cap.Ticks, first.Ticks * (1L << Math.Clamp(retry - 1, 0, 20))));
}
