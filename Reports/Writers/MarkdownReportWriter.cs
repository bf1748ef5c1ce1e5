using System.Text;
using ShadowMcp.Core.Findings;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>GitHub-flavoured Markdown; every value from the store is escaped so it cannot break a table or inject links.</summary>
internal sealed class MarkdownReportWriter : IReportWriter
{
    public ReportFormat Format => ReportFormat.Markdown;
    public string Extension => "md";
    public string MediaType => "text/markdown";

    public string Write(ReportDocument r)
    {
        var sb = new StringBuilder();
        void L(string line = "") => sb.Append(line).Append('\n');
        L($"# Shadow MCP report {E(r.Period.Label)}");
        L();
        L($"Period: {E(r.Period.FromLocal)} to {E(r.Period.ToLocal)} ({E(r.Period.TimeZone)}), UTC {Text.Time(r.Period.FromUtc)} to {Text.Time(r.Period.ToUtc)}.");
        if (r.GeneratedAt is { } g) L($"Generated at {Text.Time(g)}.");
        L();
        if (r.Empty) { L("**No MCP activity was recorded in this period.**"); L(); }

        MarkdownSummaryWriter.Write(sb, r);
        var link = r.Summary?.FindingsLink ?? Building.SummaryBuilder.FindingsLink;
        L("# Appendix: evidence");
        L();
        L($"_Each list shows up to {Text.Count(AppendixCaps.Screen)} entries; the CSV and JSON files and the admin UI ({E(link)}) have them all._");
        L();
        L("## Basis: how sure to be");
        L();
        L("Each finding's basis says on what it was made; the strongest it has is shown first.");
        L();
        L("| Basis | Meaning | How sure |");
        L("|---|---|---|");
        foreach (var b in r.BasisLegend) L($"| {E(b.Basis)} | {E(b.Meaning)} | {E(b.Sureness)} |");
        L();

        var h = r.Headline;
        L("## Headline");
        L();
        L("| Measure | Value |");
        L("|---|---:|");
        L($"| New shadow servers | {Text.Count(h.NewShadowServers)} |");
        L($"| Still active shadow servers | {Text.Count(h.StillActiveShadowServers)} |");
        L($"| Gone (seen in the previous 8 weeks, not this period) | {Text.Count(h.GoneShadowServers)} |");
        L($"| Blocked | {Text.OrNa(h.Blocked)} |");
        L($"| Sanctioned portal calls | {Text.OrNa(h.SanctionedPortalCalls)} |");
        L($"| Shadow-to-sanctioned conversions | {Text.Count(h.Conversions)} |");
        L($"| Shadow requests redirected to the portal | {Text.OrNa(h.RedirectedToPortal)} |");
        L($"| Suspected endpoints | {Text.Count(h.SuspectedEndpoints)} |");
        L($"| Sanctioned endpoints seen | {Text.Count(h.SanctionedEndpointsSeen)} |");
        L($"| Shadow flows | {Text.Count(h.ShadowFlows)} |");
        L();
        if (!r.Enforcement.Configured) { L($"_{E(r.Enforcement.Note)}_"); L(); }
        if (!r.Portal.Status.Configured) { L($"_{E(r.Portal.Status.Note)}_"); L(); }

        L("## Shadow servers");
        L();
        if (r.Servers.Count == 0) { L("None in this period."); L(); }
        foreach (var s in r.Servers.Take(AppendixCaps.Screen))
        {
            L($"### {E(s.Endpoint)}");
            L();
            L($"- Status: {s.Status}; flows in period: {Text.Count(s.FlowsInPeriod)}; confidence {Text.Number(s.Confidence)}");
            L($"- Basis: {List(s.Bases)}");
            L($"- Hosts: {List(s.Hosts)}");
            if (s.AddressNames.Count > 0) L($"- Other names on the address (not blocked): {List(s.AddressNames)}");
            L($"- Transport: {E(s.Transport)}; protocol versions: {List(s.ProtocolVersions)}");
            L($"- Server: {(s.ServerName is null ? "not seen" : E(s.ServerName + (s.ServerVersion is null ? "" : " " + s.ServerVersion)))}");
            L($"- First seen {Text.Time(s.FirstSeen)}, last seen {Text.Time(s.LastSeen)}");
            L($"- Clients: {(s.Clients.Count == 0 ? "none recorded" : string.Join(", ", s.Clients.Select(c => E(c.Name is null ? c.Address : $"{c.Address} ({c.Name})"))))}");
            if (s.ClientApps.Count > 0) L($"- Client apps: {List(s.ClientApps)}");
            if (s.Tools.Count > 0) L($"- Tools: {List(s.Tools)}");
            L($"- Enforcement: {E(s.Enforcement ?? "not configured")}");
            L();
            L("| Rule | Level | Count | Detail | Example |");
            L("|---|---|---:|---|---|");
            foreach (var e in s.Evidence)
                L($"| {E(e.Rule)} | {E(e.Level)} | {Text.Count(e.Count)} | {E(e.Detail)} | {E(e.Example ?? "")} |");
            L();
        }

        More(r.Servers.Count);
        var suspected = r.Findings.Where(f => f.Is(Verdict.Suspected)).ToList();
        L("## Suspected endpoints to triage");
        L();
        if (suspected.Count == 0) { L("None in this period."); L(); }
        else
        {
            L("| Endpoint | Basis | Transport | Flows | Confidence | Rules | Clients | Last seen |");
            L("|---|---|---|---:|---:|---|---|---|");
            foreach (var f in suspected.Take(AppendixCaps.Screen))
                L($"| {E(f.Endpoint)} | {E(f.Bases)} | {E(f.Transport)} | {Text.Count(f.FlowsInPeriod)} | {Text.Number(f.Confidence)} | {E(f.Rules)} | {E(f.Clients)} | {Text.Time(f.LastSeen)} |");
            L();
            More(suspected.Count);
        }

        if (r.Gone.Count > 0)
        {
            L("## Gone shadow servers");
            L();
            foreach (var g2 in r.Gone.Take(AppendixCaps.Screen)) L($"- {E(g2.Endpoint)}{(g2.ServerName is null ? "" : " (" + E(g2.ServerName) + ")")}, last seen {Text.Time(g2.LastSeen)}");
            L();
        }

        More(r.Gone.Count);

        L("## Trend (last 8 weeks)");
        L();
        L("| Week | Active shadow | New shadow | Suspected | Sanctioned | Shadow flows |");
        L("|---|---:|---:|---:|---:|---:|");
        foreach (var w in r.Trend) L($"| {w.Week} | {Text.Count(w.ActiveShadow)} | {Text.Count(w.NewShadow)} | {Text.Count(w.Suspected)} | {Text.Count(w.Sanctioned)} | {Text.Count(w.ShadowFlows)} |");
        L();

        L("## Top clients");
        L();
        if (r.TopClients.Count == 0) L("None.");
        else
        {
            L("| Client | Name | Shadow servers |");
            L("|---|---|---:|");
            foreach (var c in r.TopClients) L($"| {E(c.Address)} | {E(c.Name ?? "")} | {Text.Count(c.ShadowServers)} |");
        }
        L();
        L($"_{E(r.ReverseDns.Note)}_");
        L();

        HostsSectionWriter.Markdown(sb, r.Hosts);

        L("## Portal adoption");
        L();
        L(E(r.Portal.Status.Note));
        L();
        if (r.Portal.Activity is { } p)
        {
            L($"Policy denials: {Text.Count(p.PolicyDenials)}; DLP hits: {Text.Count(p.DlpHits)}.");
            L();
            L("| Server | Group | Calls |");
            L("|---|---|---:|");
            foreach (var c in p.ByServerAndGroup) L($"| {E(c.Server)} | {E(c.Group)} | {Text.Count(c.Calls)} |");
            L();
        }

        L("## Audit chain");
        L();
        L(E(r.Audit.Status.Note) + (r.Audit.Chain is { } a ? $" {Text.Count(a.Entries)} entries. {E(a.Detail)}" : ""));
        return sb.ToString();

        void More(int total)
        {
            if (total <= AppendixCaps.Screen) return;
            L($"_and {Text.Count(total - AppendixCaps.Screen)} more — see the admin UI ({E(link)}) or the CSV and JSON reports._");
            L();
        }
    }

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "none" : string.Join(", ", values.Select(E));

    /// <summary>
    /// Escapes Markdown punctuation and flattens line breaks, after showing bidi, invisible and control characters as
    /// escapes (<see cref="Core.Text.DisplayText"/>).
    /// </summary>
    internal static string E(string value)
    {
        value = Core.Text.DisplayText.Escape(value);
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\r' or '\n') { sb.Append(' '); continue; }
            if (c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '<' or '>' or '(' or ')' or '#' or '|' or '!' or '~') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
