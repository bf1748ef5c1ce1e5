using System.Globalization;
using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Html;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Admin.Pages;

/// <summary>The findings list: filter form, one row per endpoint, paging.</summary>
internal static class FindingsPage
{
    public static async Task<IResult> RenderAsync(PageContext page)
    {
        var filter = FindingFilter.Parse(page.Http.Request.Query);
        var result = await page.Service<FindingQueries>().ListAsync(filter, page.Aborted).ConfigureAwait(false);
        var h = new HtmlBuilder();
        h.Add($"<h1>Findings</h1>");
        foreach (var problem in filter.Problems) Fragments.Notice(h, "error", problem);
        Filters(h, page, filter);
        h.Add($"<p class=\"muted\" data-test=\"count\">{result.Total} finding{(result.Total == 1 ? "" : "s")} match.</p>");
        if (result.Rows.Count > 0)
        {
            h.Add($"<table data-test=\"findings\"><thead><tr><th>Endpoint</th><th>Verdict</th><th>Server</th><th>Transport</th><th class=\"num\">Confidence</th><th class=\"num\">Flows</th><th class=\"num\">Rules</th><th>First seen</th><th>Last seen</th></tr></thead><tbody>");
            foreach (var r in result.Rows)
            {
                h.Add($"<tr><td><a class=\"mono\" href=\"{page.Url("/findings/" + r.Id.ToString(CultureInfo.InvariantCulture))}\">{r.EndpointKey}</a>");
                if (r.Host is not null && r.Host != r.EndpointKey) h.Add($"<br><span class=\"muted mono\">{r.Host}</span>");
                h.Add($"</td><td>");
                Fragments.VerdictBadge(h, r.Verdict);
                h.Add($"</td><td>{r.ServerName}{(r.ServerVersion is null ? "" : " " + r.ServerVersion)}</td><td>{r.Transport}</td>");
                h.Add($"<td class=\"num\">{HtmlFormat.Percent(r.Confidence)}</td><td class=\"num\">{HtmlFormat.Number(r.Flows)}</td><td class=\"num\">{r.EvidenceCount}</td>");
                h.Add($"<td>{HtmlFormat.Time(r.FirstSeen)}</td><td>{HtmlFormat.Time(r.LastSeen)}</td></tr>");
            }
            h.Add($"</tbody></table>");
            Pager(h, page, filter, result);
        }
        else
        {
            Fragments.Notice(h, "off", "No findings match these filters.");
        }
        var sessions = await page.Service<CaptureSessionQueries>().LatestAsync(page.Aborted).ConfigureAwait(false);
        CaptureSessionsPanel.Render(h, sessions);
        return Layout.Page(page, "Findings", AdminSection.Findings, h);
    }

    private static void Filters(HtmlBuilder h, PageContext page, FindingFilter filter)
    {
        h.Add($"<form class=\"filters\" method=\"get\" action=\"{page.Url("/findings")}\" role=\"search\">");
        h.Add($"<label>Verdict<select name=\"verdict\" id=\"verdict\"><option value=\"\">any</option>");
        foreach (var v in new[] { Verdict.Shadow, Verdict.Suspected, Verdict.Sanctioned })
            h.Add($"<option value=\"{v.ToWire()}\"{new HtmlRaw(filter.Verdict == v ? " selected" : "")}>{v.ToWire()}</option>");
        h.Add($"</select></label>");
        h.Add($"<label>Active from (UTC)<input type=\"date\" name=\"from\" value=\"{filter.FromUtc?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\"></label>");
        h.Add($"<label>to<input type=\"date\" name=\"to\" value=\"{filter.ToUtc?.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\"></label>");
        h.Add($"<label>Search endpoint, host, server, evidence<input type=\"search\" name=\"q\" id=\"q\" size=\"32\" maxlength=\"{FindingFilter.MaxTextLength}\" value=\"{filter.Text}\"></label>");
        h.Add($"<button type=\"submit\">Filter</button> <a href=\"{page.Url("/findings")}\">Clear</a></form>");
    }

    private static void Pager(HtmlBuilder h, PageContext page, FindingFilter filter, FindingListResult result)
    {
        if (result.Pages <= 1) return;
        h.Add($"<nav class=\"pager\" aria-label=\"pages\">");
        if (result.Page > 1) h.Add($"<a rel=\"prev\" href=\"{page.Url("/findings") + filter.ToQuery(result.Page - 1)}\">← Newer</a>");
        h.Add($"<span>Page {result.Page} of {result.Pages}</span>");
        if (result.Page < result.Pages) h.Add($"<a rel=\"next\" href=\"{page.Url("/findings") + filter.ToQuery(result.Page + 1)}\">Older →</a>");
        h.Add($"</nav>");
    }
}
