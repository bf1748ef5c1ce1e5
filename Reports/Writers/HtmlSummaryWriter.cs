using System.Text;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>
/// The executive summary as the first HTML section: it is kept to one printed page (the print CSS breaks the page
/// after it), so the lists are short and the totals say how many more there are.
/// </summary>
internal static class HtmlSummaryWriter
{
    public static void Write(StringBuilder sb, ReportDocument r)
    {
        void L(string line) => sb.Append(line).Append('\n');
        if (r.Summary is not { } s) return;
        L("<section class=\"summary\" id=\"summary\">");
        L("<h2>Executive summary</h2>");
        if (s.Partial)
            L($"<p class=\"partial\"><b>Partial week</b>: the period was still in progress at {Text.Time(s.AsOfUtc!.Value)}; its counts are not final.</p>");
        L($"<p class=\"lead\">{H(s.Headline)}</p>");

        if (s.Deltas.Count > 0)
        {
            var d0 = s.Deltas[0];
            L($"<table class=\"deltas\"><thead><tr><th>Week over week</th><th class=\"n\">{H(d0.Week)}{(d0.Partial ? " <span class=\"partial-tag\">partial</span>" : "")}</th><th class=\"n\">{H(d0.PreviousWeek)}</th><th class=\"n\">Change</th></tr></thead><tbody>");
            foreach (var d in s.Deltas)
                L($"<tr><td>{H(d.Measure)}</td><td class=\"n\">{Text.Count(d.ThisWeek)}</td><td class=\"n\">{Text.Count(d.Previous)}</td><td class=\"n {(d.Change > 0 ? "up" : d.Change < 0 ? "down" : "same")}\">{H(Text.Change(d.Change, d.Arrow))}</td></tr>");
            L("</tbody></table>");
        }

        var c = s.Changed;
        L($"<h3>What changed: {Text.Count(c.NewShadowServers)} new shadow server{(c.NewShadowServers == 1 ? "" : "s")}, {Text.Count(c.GoneShadowServers)} gone</h3>");
        if (c.TopNew.Count > 0)
        {
            Servers(sb, c.TopNew, "Top new shadow servers by clients, then flows");
            More(sb, c.NewShadowServers - c.TopNew.Count, s.FindingsLink);
        }

        var a = s.NeedsAction;
        L($"<h3>Needs action: {Text.Count(a.Total)}</h3><ul class=\"actions\">");
        L(a.EnforcementKnown
            ? $"<li><b>{Text.Count(a.UnblockedHighConfidence)}</b> shadow server{(a.UnblockedHighConfidence == 1 ? "" : "s")} with confidence ≥ {Text.Number(Building.SummaryBuilder.HighConfidence)} not blocked.</li>"
            : $"<li><b>{Text.Count(a.UnblockedHighConfidence)}</b> shadow server{(a.UnblockedHighConfidence == 1 ? "" : "s")} with confidence ≥ {Text.Number(Building.SummaryBuilder.HighConfidence)}; <span class=\"na\">no enforcer is configured, so none is known to be blocked.</span></li>");
        L($"<li><b>{Text.Count(a.SuspectedEndpoints)}</b> suspected endpoint{(a.SuspectedEndpoints == 1 ? "" : "s")} to triage.</li>");
        L(a.SecretsFound is { } secrets
            ? $"<li><b>{Text.Count(secrets)}</b> plaintext secret{(secrets == 1 ? "" : "s")} in agent configs on {Text.Count(a.HostsWithSecrets ?? 0)} host{(a.HostsWithSecrets == 1 ? "" : "s")}.</li>"
            : "<li><span class=\"na\">Secrets in agent configs: no host inventories were received.</span></li>");
        L("</ul>");
        if (a.TopUnblocked.Count > 0)
        {
            Servers(sb, a.TopUnblocked, "Unblocked high-confidence shadow servers");
            More(sb, a.UnblockedHighConfidence - a.TopUnblocked.Count, s.FindingsLink);
        }
        if (a.TopSuspected.Count > 0)
        {
            Servers(sb, a.TopSuspected, "Suspected endpoints to triage");
            More(sb, a.SuspectedEndpoints - a.TopSuspected.Count, s.FindingsLink);
        }
        if (s.CaptureLoss is { Captures: > 0 } loss)
        {
            L($"<p class=\"capture-loss\"><b>{Text.Count(loss.Captures)}</b> capture{(loss.Captures == 1 ? "" : "s")} of the period may be missing findings: "
              + $"{Text.Count(loss.PacketsDropped)} packets dropped before the sensor read them, {Text.Count(loss.EndpointsGivenUp)} endpoints with evidence given up to the detection limits.</p>");
            sb.Append("<table class=\"top\"><caption>Captures that lost something, most endpoints given up first</caption><thead><tr><th>Capture</th><th>Saved</th><th class=\"n\">Packets dropped</th><th class=\"n\">Endpoints given up</th><th class=\"n\">Details given up</th><th class=\"n\">Untrusted answers ignored</th></tr></thead><tbody>\n");
            foreach (var lost in loss.Top)
                sb.Append("<tr><td><code>").Append(H(lost.Source)).Append("</code></td><td>").Append(Text.Time(lost.SavedAt)).Append("</td><td class=\"n\">")
                  .Append(Text.Count(lost.PacketsDropped)).Append("</td><td class=\"n\">").Append(Text.Count(lost.EndpointsGivenUp)).Append("</td><td class=\"n\">")
                  .Append(Text.Count(lost.DetailsGivenUp)).Append("</td><td class=\"n\">").Append(Text.Count(lost.UntrustedAnswersIgnored)).Append("</td></tr>\n");
            sb.Append("</tbody></table>\n");
        }

        if (s.Triage is { } t)
        {
            L($"<h3>{H(TriageSummaryText.Heading(t))}</h3>");
            L($"<p class=\"triage-counts\">Findings by status: {H(TriageSummaryText.Counts(t))}</p>");
            if (t.TopOverdue.Count > 0)
            {
                sb.Append("<table class=\"top\"><caption>Overdue, oldest first</caption><thead><tr><th>Endpoint</th><th>Verdict</th><th>Status</th><th>Owner</th><th>First seen</th><th class=\"n\">Days open</th></tr></thead><tbody>\n");
                foreach (var o in t.TopOverdue)
                    sb.Append("<tr><td><code>").Append(H(o.Endpoint)).Append("</code></td><td>").Append(H(o.Verdict)).Append("</td><td>")
                      .Append(H(TriageSummaryText.Status(o.Status))).Append("</td><td>").Append(H(o.Owner ?? "")).Append("</td><td>")
                      .Append(H(Text.Time(o.FirstSeen))).Append("</td><td class=\"n\">").Append(Text.Count(o.DaysOpen)).Append("</td></tr>\n");
                sb.Append("</tbody></table>\n");
                More(sb, t.Overdue - t.TopOverdue.Count, s.FindingsLink);
            }
        }

        var d2 = s.Done;
        L("<h3>What was done</h3><ul class=\"done\">");
        L($"<li>Blocked: {(d2.BlockedShadowServers is { } b ? $"<b>{Text.Count(b)}</b> shadow servers at the end of the period" : "<span class=\"na\">n/a (enforcer not configured)</span>")}.</li>");
        L($"<li>Conversions to the portal: <b>{Text.Count(d2.Conversions)}</b> client{(d2.Conversions == 1 ? "" : "s")} moved from shadow servers to sanctioned ones.</li>");
        L($"<li>Redirected to the portal: {(d2.RedirectedToPortal is { } red ? $"<b>{Text.Count(red)}</b> shadow requests" : "<span class=\"na\">n/a (portal not configured)</span>")}; sanctioned portal calls: {(d2.SanctionedPortalCalls is { } calls ? $"<b>{Text.Count(calls)}</b>" : "<span class=\"na\">n/a</span>")}.</li>");
        L("</ul>");
        L($"<p class=\"na\">{H(MarkdownSummaryWriter.BasisNote)}</p>");
        L($"<p class=\"na\">Evidence follows in the appendix; the full lists are in the CSV and JSON files and the admin UI (<a href=\"{H(s.FindingsLink)}\">{H(s.FindingsLink)}</a>).</p>");
        L("</section>");
    }

    private static void Servers(StringBuilder sb, IReadOnlyList<SummaryServer> servers, string caption)
    {
        sb.Append("<table class=\"top\"><caption>").Append(H(caption)).Append("</caption><thead><tr><th>Endpoint</th><th>Server</th><th>Basis</th><th class=\"n\">Clients</th><th class=\"n\">Flows</th><th class=\"n\">Confidence</th><th class=\"n\">Risk</th><th>Why</th></tr></thead><tbody>\n");
        foreach (var s in servers)
            sb.Append("<tr><td><code>").Append(H(s.Endpoint)).Append("</code></td><td>").Append(H(s.ServerName ?? ""))
              .Append("</td><td class=\"basis\">").Append(H(s.Basis))
              .Append("</td><td class=\"n\">").Append(Text.Count(s.Clients)).Append("</td><td class=\"n\">").Append(Text.Count(s.Flows))
              .Append("</td><td class=\"n\">").Append(Text.Number(s.Confidence))
              .Append("</td><td class=\"n\">").Append(s.Risk is { } risk ? Text.Count(risk) : "")
              .Append("</td><td>").Append(H(string.Join("; ", s.RiskFactors))).Append("</td></tr>\n");
        sb.Append("</tbody></table>\n");
    }

    private static void More(StringBuilder sb, int more, string link)
    {
        if (more <= 0) return;
        sb.Append("<p class=\"more\">and ").Append(Text.Count(more)).Append(" more — see the admin UI <a href=\"").Append(H(link)).Append("\">")
          .Append(H(link)).Append("</a></p>\n");
    }

    private static string H(string value) => Text.Html(value);
}
