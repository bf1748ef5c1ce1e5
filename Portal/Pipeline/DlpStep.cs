using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Pipeline;

/// <summary>Runs one DLP step and records its hits on the call, blocked or not, so the audit row names them.</summary>
internal static class DlpStep
{
    public static T Run<T>(CallRecord call, string direction, Func<(T Value, DlpScanResult Result)> scan)
    {
        try
        {
            var (value, result) = scan();
            call.AddDlp(direction, result);
            return value;
        }
        catch (DlpBlockedException e)
        {
            call.AddDlp(direction, e.Result);
            call.Outcome = CallOutcome.DlpBlocked;
            throw;
        }
    }
}
