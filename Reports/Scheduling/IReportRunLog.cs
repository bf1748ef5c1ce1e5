namespace ShadowMcp.Reports.Scheduling;

/// <summary>
/// Which scheduled reports were made, one row per period (table report_runs in the store). Whoever holds the claim
/// for a period makes that period's report; nobody else does while the claim is live.
/// </summary>
internal interface IReportRunLog
{
    /// <summary>The claim on <paramref name="period"/>, or null when it was made already or is being made.</summary>
    IReportRunClaim? TryClaim(string period, DateTimeOffset dueAt, DateTimeOffset now);

    IReadOnlyList<ReportRun> List();
}

/// <summary>A held claim: <see cref="Finish"/> records the outcome; disposing alone leaves the run open.</summary>
internal interface IReportRunClaim : IDisposable
{
    void Finish(DateTimeOffset now, string? error);
}
