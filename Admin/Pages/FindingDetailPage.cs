using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Triage;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// One finding: what it is, who used it, its triage (state, actions, history) and every rule's evidence with its
/// example. <paramref name="outcome"/> is the result of a triage action posted from this page.
/// </summary>
internal static class FindingDetailPage
{
    public static async Task<IResult> RenderAsync(PageContext page, long id, TriageOutcome? outcome = null)
    {
        var queries = page.Service<FindingQueries>();
        var finding = await queries.GetAsync(id, page.Aborted).ConfigureAwait(false);
        if (finding is null) return ErrorPages.NotFound(page, $"There is no finding {id}.");
        var bases = await queries.GetBasesAsync(id, page.Aborted).ConfigureAwait(false) ?? FindingBases.None;
        var h = new HtmlBuilder();
        h.Add($"<p><a href=\"{page.Url("/findings")}\">← All findings</a></p>");
        if (outcome is not null)
            h.Add($"<p class=\"notice {(outcome.Succeeded ? "ok" : "error")}\" role=\"status\" data-test=\"result\">{outcome.Message}</p>");
        h.Add($"<h1><span class=\"mono\" data-test=\"endpoint\">{finding.Endpoint.Key}</span> ");
        Fragments.VerdictBadge(h, finding.Verdict);
        h.Add($"</h1><dl class=\"facts\">");
        Fact(h, "Server", finding.Server is null ? "not seen" : finding.Server.Version is null ? finding.Server.Name : $"{finding.Server.Name} {finding.Server.Version}", "server");
        Fact(h, "Verdict reason", finding.VerdictReason ?? "—");
        Bases(h, bases);
        Fact(h, "Transport", finding.Transport);
        Fact(h, "Confidence", HtmlFormat.Percent(finding.Confidence));
        Fact(h, "Flows", HtmlFormat.Number(finding.Flows));
        Fact(h, "First seen", HtmlFormat.Time(finding.FirstSeen), "first-seen");
        Fact(h, "Last seen", HtmlFormat.Time(finding.LastSeen), "last-seen");
        SetFact(h, "Hosts", finding.Hosts, "hosts");
        // Names that only resolved to the address: context, not the finding's own names.
        SetFact(h, "Other names on the address", finding.AddressNames, "address-names");
        SetFact(h, "Protocol versions", finding.ProtocolVersions, "protocol-versions");
        SetFact(h, "Clients", finding.Clients, "clients");
        SetFact(h, "Client apps", finding.ClientApps, "client-apps");
        SetFact(h, "Tools", finding.Tools, "tools");
        h.Add($"</dl>");
        var (triage, history) = await page.Service<TriageService>().GetAsync(finding.Endpoint.Key, page.Aborted).ConfigureAwait(false);
        TriagePanel.Render(h, page, id, triage, history);
        RenderRisk(h, await FindingRisk.OfAsync(finding, page.Http.RequestServices, page.Aborted).ConfigureAwait(false));

        h.Add($"<h2>Evidence</h2>");
        if (finding.Evidence.Count == 0)
        {
            Fragments.Notice(h, "off", "No evidence rows are stored for this finding.");
        }
        else
        {
            h.Add($"<table data-test=\"evidence\"><thead><tr><th>Rule</th><th>Level</th><th class=\"num\">Weight</th><th class=\"num\">Count</th><th>Detail</th><th>Example</th><th>First seen</th><th>Last seen</th></tr></thead><tbody>");
            foreach (var e in finding.Evidence)
            {
                h.Add($"<tr><td><code>{e.Rule}</code>{new HtmlRaw(e.Title.Length > 0 ? "<br>" : "")}<span class=\"muted\">{e.Title}</span></td>");
                h.Add($"<td>{e.Level}</td><td class=\"num\">{e.Weight:0.00}</td><td class=\"num\">{HtmlFormat.Number(e.Count)}</td>");
                h.Add($"<td><code>{e.Detail}</code></td><td>");
                if (e.Example is null) h.Add($"<span class=\"muted\">—</span>");
                else h.Add($"<pre>{e.Example}</pre>");
                h.Add($"</td><td>{HtmlFormat.Time(e.FirstSeen)}</td><td>{HtmlFormat.Time(e.LastSeen)}</td></tr>");
            }
            h.Add($"</tbody></table>");
        }
        return Layout.Page(page, finding.Endpoint.Key, AdminSection.Findings, h,
            outcome is { Succeeded: false } ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static void RenderRisk(HtmlBuilder h, ShadowMcp.Reports.Risk.RiskAssessment? risk)
    {
        if (risk is null) return;
        h.Add($"<h2>Risk <span data-test=\"risk-score\">{risk.Score}</span>/100</h2>");
        if (risk.Factors.Count == 0)
        {
            Fragments.Notice(h, "off", "No risk factor was seen.");
            return;
        }
        h.Add($"<table data-test=\"risk\"><thead><tr><th>Factor</th><th class=\"num\">Points</th><th>Evidence</th></tr></thead><tbody>");
        foreach (var f in risk.Factors)
            h.Add($"<tr><td>{f.Name}</td><td class=\"num\">{f.Points}</td><td><code>{f.Evidence}</code></td></tr>");
        h.Add($"</tbody></table>");
    }

    /// <summary>Every basis, strongest first, each with what it means and how sure it lets the reader be.</summary>
    private static void Bases(HtmlBuilder h, FindingBases bases)
    {
        h.Add($"<dt>Basis</dt><dd data-test=\"bases\"><ul class=\"bases\">");
        foreach (var b in bases.All)
            h.Add($"<li data-basis=\"{b.ToWire()}\"><strong>{b.ToWire()}</strong>: {b.Meaning()} <span class=\"muted\">({b.Sureness()})</span></li>");
        h.Add($"</ul></dd>");
    }

    private static void Fact(HtmlBuilder h, string label, string value, string? test = null) =>
        h.Add($"<dt>{label}</dt><dd data-test=\"{test}\">{value}</dd>");

    private static void SetFact(HtmlBuilder h, string label, IEnumerable<string> values, string test)
    {
        h.Add($"<dt>{label}</dt><dd data-test=\"{test}\">");
        Fragments.List(h, values);
        h.Add($"</dd>");
    }
}
