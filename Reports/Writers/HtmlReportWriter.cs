using System.Net;
using System.Text;
using ShadowMcp.Core.Findings;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>
/// One self-contained HTML file: inline CSS and SVG, no scripts, no external references. The executive summary comes
/// first and fills the first printed page; the evidence follows as an appendix of collapsible sections, capped on
/// screen and more tightly in print, so a 20 000-finding week prints as a few pages. Every value from the store is
/// HTML-encoded.
/// </summary>
internal sealed class HtmlReportWriter : IReportWriter
{
    private const string Css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#1b1f24;padding:0 1em}
        h1{font-size:1.6em}h2{border-bottom:1px solid #ccd;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.05em;margin-bottom:.3em}
        table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #ccd;padding:.25em .5em;text-align:left;vertical-align:top}
        caption{text-align:left;font-weight:600;padding:.2em 0}
        td.n,th.n{text-align:right;white-space:nowrap}code{font-size:.9em;word-break:break-all}
        .headline{display:grid;grid-template-columns:repeat(auto-fill,minmax(11em,1fr));gap:.6em}
        .card{border:1px solid #ccd;border-radius:6px;padding:.6em}.card b{display:block;font-size:1.7em}
        .na{color:#777;font-style:italic}.empty{background:#fff6d6;border:1px solid #e6c200;padding:.6em}
        .summary{border:2px solid #334;border-radius:8px;padding:0 1em .6em}.summary h2{margin-top:.6em}
        .lead{font-size:1.2em;font-weight:600}.partial{background:#fff6d6;border:1px solid #e6c200;padding:.3em .6em}
        .partial-tag{font-size:.8em;background:#e6c200;border-radius:3px;padding:0 .3em}
        .up{color:#b00020}.down{color:#1e7b34}.more{font-style:italic}
        details.appendix{margin:.8em 0}details.appendix>summary{font-size:1.2em;font-weight:600;cursor:pointer;border-bottom:1px solid #ccd;padding:.2em 0}
        .server{border:1px solid #dde;border-radius:6px;padding:.2em .8em .6em;margin:.8em 0;break-inside:avoid}
        .new{color:#b00020;font-weight:bold}.broken{color:#b00020;font-weight:bold}
        .charts{display:flex;flex-wrap:wrap;gap:1em}.charts svg{flex:1 1 300px}
        svg.chart{width:100%;max-width:640px;height:auto}svg .axis{stroke:#556}svg .grid{stroke:#dde}svg .tick{font-size:11px;fill:#333}
        svg .s1{fill:#c0392b}svg .s2{fill:#f1948a}svg .s3{fill:#2e86c1}
        @media screen{.only-print{display:none}}
        @page{size:A4;margin:12mm}
        @media print{
        body{margin:0;max-width:none;font-size:9.5px;line-height:1.3}h1{font-size:1.5em;margin:0 0 .3em}h2{margin-top:.8em}
        th,td{padding:.1em .35em}.summary{break-after:page;border:0;padding:0}.summary table{margin:.25em 0}
        .only-screen,.np{display:none}
        details.appendix::details-content{content-visibility:visible;display:block}
        details.appendix>summary{list-style:none;break-after:avoid}
        tr,.server,.card,svg,caption{break-inside:avoid}thead{display:table-header-group}h2,h3,caption{break-after:avoid}
        .charts svg{max-width:48%}a{color:inherit;text-decoration:none}
        }
        """;

    public ReportFormat Format => ReportFormat.Html;
    public string Extension => "html";
    public string MediaType => "text/html";

    public string Write(ReportDocument r)
    {
        var sb = new StringBuilder(64 * 1024);
        void L(string line) => sb.Append(line).Append('\n');
        var link = r.Summary?.FindingsLink ?? Building.SummaryBuilder.FindingsLink;
        L("<!DOCTYPE html>");
        L("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        L($"<title>Shadow MCP report {H(r.Period.Label)}</title>");
        L("<style>" + Css.ReplaceLineEndings("\n") + "</style></head><body>");
        L($"<h1>Shadow MCP report {H(r.Period.Label)}</h1>");
        L($"<p>{H(r.Period.FromLocal)} to {H(r.Period.ToLocal)} ({H(r.Period.TimeZone)}); UTC {Text.Time(r.Period.FromUtc)} to {Text.Time(r.Period.ToUtc)}.{(r.GeneratedAt is { } g ? $" Generated at {Text.Time(g)}." : "")}</p>");
        if (r.Empty) L("<p class=\"empty\">No MCP activity was recorded in this period.</p>");

        HtmlSummaryWriter.Write(sb, r);

        L("<h2 id=\"appendix\">Appendix: evidence</h2>");
        L($"<p class=\"na\">Each list shows up to {Text.Count(AppendixCaps.Screen)} rows here and {Text.Count(AppendixCaps.Print)} in print; the CSV and JSON files and the admin UI (<a href=\"{H(link)}\">{H(link)}</a>) have them all.</p>");

        L("<h3 id=\"basis-legend\">Basis: how sure to be</h3>");
        L("<p>Each finding's basis says on what it was made; the strongest it has is shown first.</p>");
        L("<table class=\"legend\"><thead><tr><th>Basis</th><th>Meaning</th><th>How sure</th></tr></thead><tbody>");
        foreach (var b in r.BasisLegend) L($"<tr><td><code>{H(b.Basis)}</code></td><td>{H(b.Meaning)}</td><td>{H(b.Sureness)}</td></tr>");
        L("</tbody></table>");

        var h = r.Headline;
        L("<h3>Headline figures</h3><div class=\"headline\">");
        Card(sb, "New shadow servers", Text.Count(h.NewShadowServers), null);
        Card(sb, "Still active", Text.Count(h.StillActiveShadowServers), null);
        Card(sb, "Gone", Text.Count(h.GoneShadowServers), null);
        Card(sb, "Blocked", Text.OrNa(h.Blocked), r.Enforcement.Configured ? null : "enforcer not configured");
        Card(sb, "Sanctioned portal calls", Text.OrNa(h.SanctionedPortalCalls), r.Portal.Status.Configured ? null : "portal not configured");
        Card(sb, "Conversions", Text.Count(h.Conversions), null);
        Card(sb, "Redirected to portal", Text.OrNa(h.RedirectedToPortal), r.Portal.Status.Configured ? null : "portal not configured");
        Card(sb, "Suspected endpoints", Text.Count(h.SuspectedEndpoints), null);
        Card(sb, "Sanctioned endpoints seen", Text.Count(h.SanctionedEndpointsSeen), null);
        Card(sb, "Shadow flows", Text.Count(h.ShadowFlows), null);
        L("</div>");
        if (!r.Enforcement.Configured) L($"<p class=\"na\">{H(r.Enforcement.Note)}</p>");

        L("<h3>Trend (last 8 weeks)</h3>");
        var labels = r.Trend.Select(w => w.Week[5..]).ToList();
        L("<div class=\"charts\">");
        L(SvgBarChart.Render("Shadow servers per week", labels,
            [("active", "s1", r.Trend.Select(w => (long)w.ActiveShadow).ToList()), ("new", "s2", r.Trend.Select(w => (long)w.NewShadow).ToList())]).TrimEnd('\n'));
        L(SvgBarChart.Render("Shadow flows per week", labels, [("flows", "s3", r.Trend.Select(w => w.ShadowFlows).ToList())]).TrimEnd('\n'));
        L("</div>");
        L("<table><thead><tr><th>Week</th><th class=\"n\">Active shadow</th><th class=\"n\">New shadow</th><th class=\"n\">Suspected</th><th class=\"n\">Sanctioned</th><th class=\"n\">Shadow flows</th></tr></thead><tbody>");
        foreach (var w in r.Trend)
            L($"<tr><td>{H(w.Week)}</td><td class=\"n\">{Text.Count(w.ActiveShadow)}</td><td class=\"n\">{Text.Count(w.NewShadow)}</td><td class=\"n\">{Text.Count(w.Suspected)}</td><td class=\"n\">{Text.Count(w.Sanctioned)}</td><td class=\"n\">{Text.Count(w.ShadowFlows)}</td></tr>");
        L("</tbody></table>");

        HtmlAppendixSection.Write(sb, "servers", "Shadow servers", r.Servers, link,
            "<tr><th>Endpoint</th><th>Status</th><th>Basis</th><th>Server</th><th class=\"n\">Clients</th><th class=\"n\">Flows</th><th class=\"n\">Confidence</th><th>Enforcement</th></tr>",
            (o, s, cls) => o.Append("<tr").Append(HtmlAppendixSection.Class(cls)).Append("><td><code>").Append(H(s.Endpoint)).Append("</code></td><td")
                .Append(s.Status == "new" ? " class=\"new\"" : "").Append('>').Append(H(s.Status)).Append("</td><td class=\"basis\">").Append(H(string.Join(' ', s.Bases)))
                .Append("</td><td>").Append(H(s.ServerName ?? ""))
                .Append("</td><td class=\"n\">").Append(Text.Count(s.Clients.Count)).Append("</td><td class=\"n\">").Append(Text.Count(s.FlowsInPeriod))
                .Append("</td><td class=\"n\">").Append(Text.Number(s.Confidence)).Append("</td><td>")
                .Append(s.Enforcement is null ? "<span class=\"na\">not configured</span>" : H(s.Enforcement)).Append("</td></tr>\n"));

        HtmlAppendixSection.Write(sb, "evidence", "Evidence per shadow server", r.Servers, link, null, ServerBlock, AppendixCaps.PrintEvidenceBlocks);

        var suspected = r.Findings.Where(f => f.Is(Verdict.Suspected)).ToList();
        HtmlAppendixSection.Write(sb, "suspected", "Suspected endpoints to triage", suspected, link,
            "<tr><th>Endpoint</th><th>Basis</th><th>Transport</th><th class=\"n\">Flows</th><th class=\"n\">Confidence</th><th>Rules</th><th>Clients</th><th>Last seen</th></tr>",
            (o, f, cls) => o.Append("<tr").Append(HtmlAppendixSection.Class(cls)).Append("><td><code>").Append(H(f.Endpoint)).Append("</code></td><td class=\"basis\">").Append(H(f.Bases)).Append("</td><td>").Append(H(f.Transport))
                .Append("</td><td class=\"n\">").Append(Text.Count(f.FlowsInPeriod)).Append("</td><td class=\"n\">").Append(Text.Number(f.Confidence))
                .Append("</td><td>").Append(H(f.Rules)).Append("</td><td>").Append(H(f.Clients)).Append("</td><td>").Append(Text.Time(f.LastSeen)).Append("</td></tr>\n"));

        HtmlAppendixSection.Write(sb, "gone", "Gone shadow servers", r.Gone, link,
            "<tr><th>Endpoint</th><th>Server</th><th>Last seen</th></tr>",
            (o, g2, cls) => o.Append("<tr").Append(HtmlAppendixSection.Class(cls)).Append("><td><code>").Append(H(g2.Endpoint)).Append("</code></td><td>")
                .Append(H(g2.ServerName ?? "")).Append("</td><td>").Append(Text.Time(g2.LastSeen)).Append("</td></tr>\n"));

        L("<h2>Top clients</h2>");
        if (r.TopClients.Count == 0) L("<p>None.</p>");
        else
        {
            L("<table><thead><tr><th>Client</th><th>Name</th><th class=\"n\">Shadow servers</th></tr></thead><tbody>");
            foreach (var c in r.TopClients) L($"<tr><td>{H(c.Address)}</td><td>{H(c.Name ?? "")}</td><td class=\"n\">{Text.Count(c.ShadowServers)}</td></tr>");
            L("</tbody></table>");
        }
        L($"<p class=\"na\">{H(r.ReverseDns.Note)}</p>");

        HostsSectionWriter.Html(sb, r.Hosts);

        L("<h2>Portal adoption</h2>");
        L($"<p{(r.Portal.Status.Configured ? "" : " class=\"na\"")}>{H(r.Portal.Status.Note)}</p>");
        if (r.Portal.Activity is { } p)
        {
            L($"<p>Policy denials: {Text.Count(p.PolicyDenials)}; DLP hits: {Text.Count(p.DlpHits)}.</p>");
            L("<table><thead><tr><th>Server</th><th>Group</th><th class=\"n\">Calls</th></tr></thead><tbody>");
            foreach (var c in p.ByServerAndGroup) L($"<tr><td>{H(c.Server)}</td><td>{H(c.Group)}</td><td class=\"n\">{Text.Count(c.Calls)}</td></tr>");
            L("</tbody></table>");
        }

        L("<h2>Audit chain</h2>");
        var auditClass = !r.Audit.Status.Configured ? "na" : r.Audit.Chain is { Intact: false } ? "broken" : "";
        L($"<p class=\"{auditClass}\">{H(r.Audit.Status.Note)}{(r.Audit.Chain is { } a ? $" {Text.Count(a.Entries)} entries. {H(a.Detail)}" : "")}</p>");
        L("</body></html>");
        return sb.ToString();
    }

    private static void ServerBlock(StringBuilder sb, ShadowServer s, string cssClass)
    {
        void L(string line) => sb.Append(line).Append('\n');
        L($"<section class=\"server{(cssClass.Length == 0 ? "" : " " + cssClass)}\">");
        L($"<h3><code>{H(s.Endpoint)}</code> <span class=\"{(s.Status == "new" ? "new" : "")}\">{H(s.Status)}</span></h3>");
        L("<table>");
        Row(sb, "Basis", List(s.Bases));
        Row(sb, "Hosts", List(s.Hosts));
        if (s.AddressNames.Count > 0) Row(sb, "Other names on the address", List(s.AddressNames));
        Row(sb, "Transport", H(s.Transport) + "; protocol versions " + List(s.ProtocolVersions));
        Row(sb, "Server", s.ServerName is null ? "<span class=\"na\">not seen</span>" : H(s.ServerName + (s.ServerVersion is null ? "" : " " + s.ServerVersion)));
        Row(sb, "Seen", $"{Text.Time(s.FirstSeen)} to {Text.Time(s.LastSeen)}; {Text.Count(s.FlowsInPeriod)} flows in period; confidence {Text.Number(s.Confidence)}");
        Row(sb, "Clients", s.Clients.Count == 0 ? "none recorded" : string.Join(", ", s.Clients.Select(c => H(c.Address) + (c.Name is null ? "" : $" ({H(c.Name)})"))));
        if (s.ClientApps.Count > 0) Row(sb, "Client apps", List(s.ClientApps));
        if (s.Tools.Count > 0) Row(sb, "Tools", List(s.Tools));
        Row(sb, "Enforcement", s.Enforcement is null ? "<span class=\"na\">not configured</span>" : H(s.Enforcement));
        L("</table>");
        L("<table><thead><tr><th>Rule</th><th>Level</th><th class=\"n\">Count</th><th>Detail</th><th>Example</th></tr></thead><tbody>");
        foreach (var e in s.Evidence)
            L($"<tr><td>{H(e.Rule)}</td><td>{H(e.Level)}</td><td class=\"n\">{Text.Count(e.Count)}</td><td>{H(e.Detail)}</td><td><code>{H(e.Example ?? "")}</code></td></tr>");
        L("</tbody></table></section>");
    }

    private static void Card(StringBuilder sb, string label, string value, string? note) =>
        sb.Append("<div class=\"card\"><b").Append(note is null ? "" : " class=\"na\"").Append('>').Append(H(value)).Append("</b>")
          .Append(H(label)).Append(note is null ? "" : $"<br><span class=\"na\">{H(note)}</span>").Append("</div>\n");

    private static void Row(StringBuilder sb, string label, string html) =>
        sb.Append("<tr><th>").Append(H(label)).Append("</th><td>").Append(html).Append("</td></tr>\n");

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "none" : string.Join(", ", values.Select(H));

    private static string H(string value) => Text.Html(value);
}
