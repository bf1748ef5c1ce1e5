namespace ShadowMcp.Reports.Model;

/// <summary>The period as printed: label, UTC bounds, the time zone that defined it, and the local bounds.</summary>
public sealed record ReportPeriodInfo(string Label, DateTime FromUtc, DateTime ToUtc, string TimeZone, string FromLocal, string ToLocal);
