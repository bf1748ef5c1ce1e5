using System.Globalization;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Triage;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Building;

/// <summary>
/// Builds the <see cref="ExecutiveSummary"/> from a finished <see cref="ReportDocument"/>: a pure reading of the
/// document plus the current time (from <see cref="TimeProvider"/>), which only decides whether the period is still
/// in progress. A completed period therefore gives the same summary at any later time.
/// </summary>
public sealed class SummaryBuilder(TimeProvider time)
{
    /// <summary>Confidence from which an unblocked shadow server "needs action" (the enforcer policy's usual floor).</summary>
    public const double HighConfidence = 0.9;
    /// <summary>How many new shadow servers the summary names; the total counts the rest.</summary>
    public const int TopCount = 10;
    /// <summary>How many endpoints each "needs action" list names, so that the summary stays one printed page.</summary>
    public const int ActionTopCount = 5;
    /// <summary>The admin UI page with the full, filterable lists.</summary>
    public const string FindingsLink = "/admin/findings";

    public ExecutiveSummary Build(ReportDocument r)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var partial = now < r.Period.ToUtc;

        var newServers = r.Servers.Where(s => s.Status == "new").ToList();
        var topNew = newServers
            .OrderByDescending(s => s.Clients.Count).ThenByDescending(s => s.FlowsInPeriod).ThenBy(s => s.Endpoint, StringComparer.Ordinal)
            .Take(TopCount).Select(ToSummary).ToList();

        var enforcementKnown = r.Enforcement.Configured;
        // A false positive is an exception: triage decided it needs no block.
        // Most risky first (what the server can do, who uses it, where it is), then how sure the verdict is.
        var unblocked = r.Servers.Where(s => s.Confidence >= HighConfidence && !IsBlocked(s.Enforcement) && TriageStatusNames.Parse(s.Triage) != TriageStatus.FalsePositive)
            .OrderByDescending(s => s.Risk?.Score ?? 0).ThenByDescending(s => s.Confidence).ThenByDescending(s => s.Clients.Count).ThenByDescending(s => s.FlowsInPeriod)
            .ThenBy(s => s.Endpoint, StringComparer.Ordinal).ToList();

        // Still to triage: suspected endpoints nobody has decided on yet.
        var suspected = r.Findings.Where(f => f.Is(Verdict.Suspected) && TriageStatusNames.Parse(f.Triage).IsOpen()).ToList();
        var topSuspected = suspected
            .OrderByDescending(f => f.FlowsInPeriod).ThenByDescending(f => f.Confidence).ThenBy(f => f.Endpoint, StringComparer.Ordinal)
            .Take(ActionTopCount)
            .Select(f => new SummaryServer(f.Endpoint, f.ServerName, CountWords(f.Clients), f.FlowsInPeriod, f.Confidence, null) { Basis = f.Basis }).ToList();

        var hostsKnown = r.Hosts is { Status.Configured: true };
        var actions = new SummaryActions(
            unblocked.Count, [.. unblocked.Take(ActionTopCount).Select(ToSummary)], enforcementKnown,
            suspected.Count, topSuspected,
            hostsKnown ? r.Hosts!.Secrets.Count : null,
            hostsKnown ? r.Hosts!.Secrets.Select(s => s.Host).Distinct(StringComparer.Ordinal).Count() : null);

        var h = r.Headline;
        var done = new SummaryDone(h.Blocked, h.Conversions, h.RedirectedToPortal, h.SanctionedPortalCalls);

        return new ExecutiveSummary
        {
            Headline = HeadlineOf(newServers.Count, actions, r.Servers.Count, partial),
            Partial = partial,
            AsOfUtc = partial ? now : null,
            Changed = new SummaryChanges(newServers.Count, topNew, h.GoneShadowServers),
            NeedsAction = actions,
            Done = done,
            Deltas = Deltas(r.Trend, partial),
            Triage = r.Triage,
            CaptureLoss = r.CaptureLoss,
            FindingsLink = FindingsLink,
        };
    }

    private static bool IsBlocked(string? enforcement) =>
        enforcement is not null && enforcement.StartsWith("blocked", StringComparison.OrdinalIgnoreCase);

    private static SummaryServer ToSummary(ShadowServer s) =>
        new(s.Endpoint, s.ServerName, s.Clients.Count, s.FlowsInPeriod, s.Confidence, s.Enforcement)
        {
            Risk = s.Risk?.Score,
            RiskFactors = s.Risk is null ? [] : [.. s.Risk.Factors.Select(f => $"{f.Name}: {f.Evidence}")],
            Basis = s.Basis,
        };

    private static int CountWords(string spaceSeparated) =>
        spaceSeparated.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static string HeadlineOf(int newServers, SummaryActions actions, int activeServers, bool partial)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Plural(newServers, "new shadow server")}, {activeServers:N0} active in all; {actions.Total:N0} {(actions.Total == 1 ? "item needs" : "items need")} action.");
        return partial ? "So far (week in progress): " + text : text;
    }

    private static string Plural(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}{(n == 1 ? "" : "s")}");

    /// <summary>The last trend week (the period's) against the one before it.</summary>
    private static IReadOnlyList<SummaryDelta> Deltas(IReadOnlyList<TrendWeek> trend, bool partial)
    {
        if (trend.Count < 2) return [];
        var (now, before) = (trend[^1], trend[^2]);
        SummaryDelta D(string measure, long a, long b) => new(measure, now.Week, a, before.Week, b, partial);
        return
        [
            D("Active shadow servers", now.ActiveShadow, before.ActiveShadow),
            D("New shadow servers", now.NewShadow, before.NewShadow),
            D("Suspected endpoints", now.Suspected, before.Suspected),
            D("Sanctioned endpoints seen", now.Sanctioned, before.Sanctioned),
            D("Shadow flows", now.ShadowFlows, before.ShadowFlows),
        ];
    }
}
