using System.Net;
using System.Text;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>
/// One self-contained HTML file: inline CSS and SVG, no scripts, no external references, print styles so it can be
/// handed round as a PDF. Every value from the store is HTML-encoded.
/// </summary>
internal sealed class HtmlReportWriter : IReportWriter
{
    private const string Css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#1b1f24;padding:0 1em}
        h1{font-size:1.6em}h2{border-bottom:1px solid #ccd;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.05em;margin-bottom:.3em}
        table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #ccd;padding:.25em .5em;text-align:left;vertical-align:top}
        td.n,th.n{text-align:right}code{font-size:.9em;word-break:break-all}
        .headline{display:grid;grid-template-columns:repeat(auto-fill,minmax(11em,1fr));gap:.6em}
        .card{border:1px solid #ccd;border-radius:6px;padding:.6em}.card b{display:block;font-size:1.7em}
        .na{color:#777;font-style:italic}.empty{background:#fff6d6;border:1px solid #e6c200;padding:.6em}
        .server{border:1px solid #dde;border-radius:6px;padding:.2em .8em .6em;margin:.8em 0;break-inside:avoid}
        .new{color:#b00020;font-weight:bold}.broken{color:#b00020;font-weight:bold}
        svg.chart{width:100%;max-width:640px;height:auto}svg .axis{stroke:#556}svg .tick{font-size:11px;fill:#333}
        svg .s1{fill:#c0392b}svg .s2{fill:#f1948a}svg .s3{fill:#2e86c1}
        @media print{body{margin:0;max-width:none;font-size:11px}.server,table,svg{break-inside:avoid}h2{break-after:avoid}}
        """;

    public ReportFormat Format => ReportFormat.Html;
    public string Extension => "html";
    public string MediaType => "text/html";

    public string Write(ReportDocument r)
    {
        var sb = new StringBuilder();
        void L(string line) => sb.Append(line).Append('\n');
        L("<!DOCTYPE html>");
        L("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        L($"<title>Shadow MCP report {H(r.Period.Label)}</title>");
        L("<style>" + Css.ReplaceLineEndings("\n") + "</style></head><body>");
        L($"<h1>Shadow MCP report {H(r.Period.Label)}</h1>");
        L($"<p>{H(r.Period.FromLocal)} to {H(r.Period.ToLocal)} ({H(r.Period.TimeZone)}); UTC {Text.Time(r.Period.FromUtc)} to {Text.Time(r.Period.ToUtc)}.</p>");
        if (r.GeneratedAt is { } g) L($"<p>Generated at {Text.Time(g)}.</p>");
        if (r.Empty) L("<p class=\"empty\">No MCP activity was recorded in this period.</p>");

        var h = r.Headline;
        L("<h2>Headline</h2><div class=\"headline\">");
        Card(sb, "New shadow servers", h.NewShadowServers.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
        Card(sb, "Still active", Text.Number(h.StillActiveShadowServers), null);
        Card(sb, "Gone", Text.Number(h.GoneShadowServers), null);
        Card(sb, "Blocked", Text.OrNa(h.Blocked), r.Enforcement.Configured ? null : "enforcer not configured");
        Card(sb, "Sanctioned portal calls", Text.OrNa(h.SanctionedPortalCalls), r.Portal.Status.Configured ? null : "portal not configured");
        Card(sb, "Conversions", Text.Number(h.Conversions), null);
        Card(sb, "Redirected to portal", Text.OrNa(h.RedirectedToPortal), r.Portal.Status.Configured ? null : "portal not configured");
        Card(sb, "Suspected endpoints", Text.Number(h.SuspectedEndpoints), null);
        Card(sb, "Sanctioned endpoints seen", Text.Number(h.SanctionedEndpointsSeen), null);
        Card(sb, "Shadow flows", Text.Number(h.ShadowFlows), null);
        L("</div>");
        if (!r.Enforcement.Configured) L($"<p class=\"na\">{H(r.Enforcement.Note)}</p>");

        L("<h2>Trend (last 8 weeks)</h2>");
        var labels = r.Trend.Select(w => w.Week[5..]).ToList();
        L(SvgBarChart.Render("Shadow servers per week", labels,
            [("active", "s1", r.Trend.Select(w => (long)w.ActiveShadow).ToList()), ("new", "s2", r.Trend.Select(w => (long)w.NewShadow).ToList())]).TrimEnd('\n'));
        L(SvgBarChart.Render("Shadow flows per week", labels, [("flows", "s3", r.Trend.Select(w => w.ShadowFlows).ToList())]).TrimEnd('\n'));
        L("<table><tr><th>Week</th><th class=\"n\">Active shadow</th><th class=\"n\">New shadow</th><th class=\"n\">Suspected</th><th class=\"n\">Sanctioned</th><th class=\"n\">Shadow flows</th></tr>");
        foreach (var w in r.Trend)
            L($"<tr><td>{H(w.Week)}</td><td class=\"n\">{w.ActiveShadow}</td><td class=\"n\">{w.NewShadow}</td><td class=\"n\">{w.Suspected}</td><td class=\"n\">{w.Sanctioned}</td><td class=\"n\">{Text.Number(w.ShadowFlows)}</td></tr>");
        L("</table>");

        L("<h2>Shadow servers</h2>");
        if (r.Servers.Count == 0) L("<p>None in this period.</p>");
        foreach (var s in r.Servers)
        {
            L("<section class=\"server\">");
            L($"<h3><code>{H(s.Endpoint)}</code> <span class=\"{(s.Status == "new" ? "new" : "")}\">{H(s.Status)}</span></h3>");
            L("<table>");
            Row(sb, "Hosts", List(s.Hosts));
            if (s.AddressNames.Count > 0) Row(sb, "Other names on the address", List(s.AddressNames));
            Row(sb, "Transport", H(s.Transport) + "; protocol versions " + List(s.ProtocolVersions));
            Row(sb, "Server", s.ServerName is null ? "<span class=\"na\">not seen</span>" : H(s.ServerName + (s.ServerVersion is null ? "" : " " + s.ServerVersion)));
            Row(sb, "Seen", $"{Text.Time(s.FirstSeen)} to {Text.Time(s.LastSeen)}; {Text.Number(s.FlowsInPeriod)} flows in period; confidence {Text.Number(s.Confidence)}");
            Row(sb, "Clients", s.Clients.Count == 0 ? "none recorded" : string.Join(", ", s.Clients.Select(c => H(c.Address) + (c.Name is null ? "" : $" ({H(c.Name)})"))));
            if (s.ClientApps.Count > 0) Row(sb, "Client apps", List(s.ClientApps));
            if (s.Tools.Count > 0) Row(sb, "Tools", List(s.Tools));
            Row(sb, "Enforcement", s.Enforcement is null ? "<span class=\"na\">not configured</span>" : H(s.Enforcement));
            L("</table>");
            L("<table><tr><th>Rule</th><th>Level</th><th class=\"n\">Count</th><th>Detail</th><th>Example</th></tr>");
            foreach (var e in s.Evidence)
                L($"<tr><td>{H(e.Rule)}</td><td>{H(e.Level)}</td><td class=\"n\">{e.Count}</td><td>{H(e.Detail)}</td><td><code>{H(e.Example ?? "")}</code></td></tr>");
            L("</table></section>");
        }

        if (r.Gone.Count > 0)
        {
            L("<h2>Gone shadow servers</h2><ul>");
            foreach (var gone in r.Gone) L($"<li><code>{H(gone.Endpoint)}</code>{(gone.ServerName is null ? "" : " (" + H(gone.ServerName) + ")")}, last seen {Text.Time(gone.LastSeen)}</li>");
            L("</ul>");
        }

        L("<h2>Top clients</h2>");
        if (r.TopClients.Count == 0) L("<p>None.</p>");
        else
        {
            L("<table><tr><th>Client</th><th>Name</th><th class=\"n\">Shadow servers</th></tr>");
            foreach (var c in r.TopClients) L($"<tr><td>{H(c.Address)}</td><td>{H(c.Name ?? "")}</td><td class=\"n\">{c.ShadowServers}</td></tr>");
            L("</table>");
        }
        L($"<p class=\"na\">{H(r.ReverseDns.Note)}</p>");

        HostsSectionWriter.Html(sb, r.Hosts);

        L("<h2>Portal adoption</h2>");
        L($"<p{(r.Portal.Status.Configured ? "" : " class=\"na\"")}>{H(r.Portal.Status.Note)}</p>");
        if (r.Portal.Activity is { } p)
        {
            L($"<p>Policy denials: {Text.Number(p.PolicyDenials)}; DLP hits: {Text.Number(p.DlpHits)}.</p>");
            L("<table><tr><th>Server</th><th>Group</th><th class=\"n\">Calls</th></tr>");
            foreach (var c in p.ByServerAndGroup) L($"<tr><td>{H(c.Server)}</td><td>{H(c.Group)}</td><td class=\"n\">{Text.Number(c.Calls)}</td></tr>");
            L("</table>");
        }

        L("<h2>Audit chain</h2>");
        var auditClass = !r.Audit.Status.Configured ? "na" : r.Audit.Chain is { Intact: false } ? "broken" : "";
        L($"<p class=\"{auditClass}\">{H(r.Audit.Status.Note)}{(r.Audit.Chain is { } a ? $" {Text.Number(a.Entries)} entries. {H(a.Detail)}" : "")}</p>");
        L("</body></html>");
        return sb.ToString();
    }

    private static void Card(StringBuilder sb, string label, string value, string? note) =>
        sb.Append("<div class=\"card\"><b").Append(note is null ? "" : " class=\"na\"").Append('>').Append(H(value)).Append("</b>")
          .Append(H(label)).Append(note is null ? "" : $"<br><span class=\"na\">{H(note)}</span>").Append("</div>\n");

    private static void Row(StringBuilder sb, string label, string html) =>
        sb.Append("<tr><th>").Append(H(label)).Append("</th><td>").Append(html).Append("</td></tr>\n");

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "none" : string.Join(", ", values.Select(H));

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
