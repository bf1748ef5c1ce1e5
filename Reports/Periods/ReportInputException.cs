namespace ShadowMcp.Reports.Periods;

/// <summary>The report cannot be made because of what was asked for (a week that does not exist, a bad time zone, a bad cron).
/// The message names the offending value and is meant for the user as is.</summary>
public sealed class ReportInputException(string message) : Exception(message);
