using System.Text;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>The executive summary as the first Markdown section; store text is escaped like everywhere else.</summary>
internal static class MarkdownSummaryWriter
{
    /// <summary>The summary's one line on the basis column; the legend is in the appendix.</summary>
    internal const string BasisNote =
        "Basis says on what a finding was made: content, decrypted and probe saw MCP itself; host is an inventory; name is a name only; shape is a lead to confirm (legend in the appendix).";

    public static void Write(StringBuilder sb, ReportDocument r)
    {
        void L(string line = "") => sb.Append(line).Append('\n');
        static string E(string v) => MarkdownReportWriter.E(v);
        if (r.Summary is not { } s) return;
        L("## Executive summary");
        L();
        if (s.Partial)
        {
            L($"> **Partial week**: the period was still in progress at {Text.Time(s.AsOfUtc!.Value)}; its counts are not final.");
            L();
        }
        L($"**{E(s.Headline)}**");
        L();
        if (s.Deltas.Count > 0)
        {
            var d0 = s.Deltas[0];
            L($"| Week over week | {d0.Week}{(d0.Partial ? " (partial)" : "")} | {d0.PreviousWeek} | Change |");
            L("|---|---:|---:|---:|");
            foreach (var d in s.Deltas) L($"| {E(d.Measure)} | {Text.Count(d.ThisWeek)} | {Text.Count(d.Previous)} | {Text.Change(d.Change, d.Arrow)} |");
            L();
        }

        var c = s.Changed;
        L($"### What changed: {Text.Count(c.NewShadowServers)} new shadow server{(c.NewShadowServers == 1 ? "" : "s")}, {Text.Count(c.GoneShadowServers)} gone");
        L();
        Servers(c.TopNew, c.NewShadowServers, "Top new shadow servers by clients, then flows");

        var a = s.NeedsAction;
        L($"### Needs action: {Text.Count(a.Total)}");
        L();
        L($"- **{Text.Count(a.UnblockedHighConfidence)}** shadow servers with confidence ≥ {Text.Number(Building.SummaryBuilder.HighConfidence)} "
          + (a.EnforcementKnown ? "not blocked." : "(no enforcer is configured, so none is known to be blocked)."));
        L($"- **{Text.Count(a.SuspectedEndpoints)}** suspected endpoints to triage.");
        L(a.SecretsFound is { } secrets
            ? $"- **{Text.Count(secrets)}** plaintext secrets in agent configs on {Text.Count(a.HostsWithSecrets ?? 0)} hosts."
            : "- Secrets in agent configs: _no host inventories were received._");
        L();
        Servers(a.TopUnblocked, a.UnblockedHighConfidence, "Unblocked high-confidence shadow servers");
        Servers(a.TopSuspected, a.SuspectedEndpoints, "Suspected endpoints to triage");
        if (s.CaptureLoss is { Captures: > 0 } loss)
        {
            L($"**{Text.Count(loss.Captures)}** capture{(loss.Captures == 1 ? "" : "s")} of the period may be missing findings: "
              + $"{Text.Count(loss.PacketsDropped)} packets dropped before the sensor read them, {Text.Count(loss.EndpointsGivenUp)} endpoints with evidence given up to the detection limits.");
            L();
            L("| Capture | Saved | Packets dropped | Endpoints given up | Details given up | Untrusted answers ignored |");
            L("|---|---|---:|---:|---:|---:|");
            foreach (var lost in loss.Top)
                L($"| {E(lost.Source)} | {Text.Time(lost.SavedAt)} | {Text.Count(lost.PacketsDropped)} | {Text.Count(lost.EndpointsGivenUp)} | {Text.Count(lost.DetailsGivenUp)} | {Text.Count(lost.UntrustedAnswersIgnored)} |");
            L();
        }

        if (s.Triage is { } t)
        {
            L($"### {TriageSummaryText.Heading(t)}");
            L();
            L($"Findings by status: {TriageSummaryText.Counts(t)}");
            L();
            if (t.TopOverdue.Count > 0)
            {
                L("Overdue, oldest first:");
                L();
                L("| Endpoint | Verdict | Status | Owner | First seen | Days open |");
                L("|---|---|---|---|---|---:|");
                foreach (var o in t.TopOverdue)
                    L($"| {E(o.Endpoint)} | {E(o.Verdict)} | {TriageSummaryText.Status(o.Status)} | {E(o.Owner ?? "")} | {Text.Time(o.FirstSeen)} | {Text.Count(o.DaysOpen)} |");
                L();
                if (t.Overdue > t.TopOverdue.Count) { L($"_and {Text.Count(t.Overdue - t.TopOverdue.Count)} more — see the admin UI ({E(s.FindingsLink)})_"); L(); }
            }
        }

        var d2 = s.Done;
        L("### What was done");
        L();
        L($"- Blocked: {(d2.BlockedShadowServers is { } b ? $"{Text.Count(b)} shadow servers at the end of the period" : "n/a (enforcer not configured)")}.");
        L($"- Conversions to the portal: {Text.Count(d2.Conversions)} clients moved from shadow servers to sanctioned ones.");
        L($"- Redirected to the portal: {(d2.RedirectedToPortal is { } red ? Text.Count(red) + " shadow requests" : "n/a (portal not configured)")}; sanctioned portal calls: {Text.OrNa(d2.SanctionedPortalCalls)}.");
        L();
        L($"_{E(BasisNote)}_");
        L();
        L($"_Evidence follows in the appendix; the full lists are in the CSV and JSON files and the admin UI ({E(s.FindingsLink)})._");
        L();

        void Servers(IReadOnlyList<SummaryServer> top, int total, string caption)
        {
            if (top.Count == 0) return;
            L($"{caption}:");
            L();
            L("| Endpoint | Server | Basis | Clients | Flows | Confidence | Risk | Why |");
            L("|---|---|---|---:|---:|---:|---:|---|");
            foreach (var t in top)
                L($"| {E(t.Endpoint)} | {E(t.ServerName ?? "")} | {E(t.Basis)} | {Text.Count(t.Clients)} | {Text.Count(t.Flows)} | {Text.Number(t.Confidence)} | {(t.Risk is { } r ? Text.Count(r) : "")} | {E(string.Join("; ", t.RiskFactors))} |");
            L();
            if (total > top.Count) { L($"_and {Text.Count(total - top.Count)} more — see the admin UI ({E(s.FindingsLink)})_"); L(); }
        }
    }
}
