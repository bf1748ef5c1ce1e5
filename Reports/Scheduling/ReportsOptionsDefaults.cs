namespace ShadowMcp.Reports.Scheduling;

/// <summary>Defaults shared by <see cref="ReportsOptions"/> and reports made without options (CLI, tests).</summary>
public static class ReportsOptionsDefaults
{
    public const int TriageOverdueDays = 7;
    public const int MaxTriageOverdueDays = 365;
}
