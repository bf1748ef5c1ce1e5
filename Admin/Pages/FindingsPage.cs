using System.Globalization;
using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Triage;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Pages;

/// <summary>
/// The findings list: filter form, counts per verdict (each a link), one row per endpoint with sortable columns
/// and paging, or one row per server or client; the filtered view exports as CSV.
/// </summary>
internal static class FindingsPage
{
    /// <param name="outcome">The result of a bulk triage action posted from this page.</param>
    public static async Task<IResult> RenderAsync(PageContext page, TriageOutcome? outcome = null)
    {
        var filter = FindingFilter.Parse(page.Http.Request.Query);
        var queries = page.Service<FindingQueries>();
        var counts = await queries.CountVerdictsAsync(filter, page.Aborted).ConfigureAwait(false);
        var h = new HtmlBuilder();
        h.Add($"<h1>Findings</h1>");
        if (outcome is not null)
            h.Add($"<p class=\"notice {(outcome.Succeeded ? "ok" : "error")}\" role=\"status\" data-test=\"result\">{outcome.Message}</p>");
        foreach (var problem in filter.Problems) Fragments.Notice(h, "error", problem);
        Filters(h, page, filter);
        Counts(h, page, filter, counts);
        StatusCounts(h, page, filter, await queries.CountStatusesAsync(filter, page.Aborted).ConfigureAwait(false));
        Tools(h, page, filter);
        if (filter.Grouping == FindingGrouping.None) await ListAsync(h, page, filter, queries).ConfigureAwait(false);
        else await GroupsAsync(h, page, filter, queries).ConfigureAwait(false);
        var captures = page.Service<CaptureSessionQueries>();
        CaptureSessionsPanel.Render(h, await captures.LatestAsync(page.Aborted).ConfigureAwait(false));
        DetectionLimitsPanel.Render(h, await captures.OverLimitsAsync(page.Aborted).ConfigureAwait(false));
        return Layout.Page(page, "Findings", AdminSection.Findings, h,
            outcome is { Succeeded: false } ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static async Task ListAsync(HtmlBuilder h, PageContext page, FindingFilter filter, FindingQueries queries)
    {
        var result = await queries.ListAsync(filter, page.Aborted).ConfigureAwait(false);
        var week = queries.WeekStart;
        h.Add($"<p class=\"muted\" data-test=\"count\">{HtmlFormat.Number(result.Total)} finding{(result.Total == 1 ? "" : "s")} match.</p>");
        if (result.Items.Count == 0)
        {
            Fragments.Notice(h, "off", "No findings match these filters.");
            return;
        }
        // The list is the bulk form: its checkboxes select rows; the filter travels in the action's query string.
        h.Add($"<form method=\"post\" action=\"{page.Url("/findings/bulk") + filter.ToQuery(1)}\" data-test=\"bulk\" data-confirm=\"Apply this triage change to the chosen findings?\">{page.CsrfField}");
        h.Add($"<table data-test=\"findings\"><thead><tr>");
        Header(h, page, filter, "Endpoint", FindingSort.Endpoint);
        Header(h, page, filter, "Verdict", FindingSort.Verdict);
        h.Add($"<th title=\"On what the finding was made, strongest first\">Basis</th>");
        Header(h, page, filter, "Server", FindingSort.Server);
        h.Add($"<th>Transport</th>");
        Header(h, page, filter, "Confidence", FindingSort.Confidence, numeric: true);
        Header(h, page, filter, "Flows", FindingSort.Flows, numeric: true);
        h.Add($"<th class=\"num\">Rules</th>");
        Header(h, page, filter, "First seen", FindingSort.FirstSeen);
        Header(h, page, filter, "Last seen", FindingSort.LastSeen);
        h.Add($"<th>New this week</th><th>Status</th><th>Owner</th><th>Select</th></tr></thead><tbody>");
        foreach (var r in result.Items)
        {
            h.Add($"<tr><td><a class=\"mono\" href=\"{page.Url("/findings/" + r.Id.ToString(CultureInfo.InvariantCulture))}\">{r.EndpointKey}</a>");
            if (r.Host is not null && r.Host != r.EndpointKey) h.Add($"<br><span class=\"muted mono\">{r.Host}</span>");
            h.Add($"</td><td>");
            Fragments.VerdictBadge(h, r.Verdict);
            h.Add($"</td><td data-test=\"basis\">");
            BasisCell(h, r.Bases);
            h.Add($"</td><td data-test=\"server\">{r.ServerName}{(r.ServerVersion is null ? "" : " " + r.ServerVersion)}</td><td>{r.Transport}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Percent(r.Confidence)}</td><td class=\"num\">{HtmlFormat.Number(r.Flows)}</td><td class=\"num\">{r.EvidenceCount}</td>");
            h.Add($"<td>{HtmlFormat.Time(r.FirstSeen)}</td><td>{HtmlFormat.Time(r.LastSeen)}</td>");
            h.Add($"<td data-test=\"new\">{(r.FirstSeen >= week ? "new" : "")}</td>");
            h.Add($"<td data-test=\"status\">{r.Status.ToLabel()}</td><td data-test=\"owner\">{r.Owner}</td>");
            h.Add($"<td><input type=\"checkbox\" name=\"key\" value=\"{r.EndpointKey}\" aria-label=\"select {r.EndpointKey}\"></td></tr>");
        }
        h.Add($"</tbody></table>");
        BulkControls(h, result.Total);
        h.Add($"</form>");
        Pager(h, page, filter, result);
    }

    /// <summary>The primary basis, then the weaker ones muted; each with its meaning as a tooltip.</summary>
    private static void BasisCell(HtmlBuilder h, FindingBases bases)
    {
        h.Add($"<span class=\"basis basis-{bases.Primary.ToWire()}\" title=\"{bases.Primary.Meaning()} ({bases.Primary.Sureness()})\">{bases.Primary.ToWire()}</span>");
        foreach (var b in bases.All.Skip(1))
            h.Add($" <span class=\"muted\" title=\"{b.Meaning()}\">{b.ToWire()}</span>");
    }

    private static void BulkControls(HtmlBuilder h, int total)
    {
        h.Add($"<fieldset class=\"filters\" data-test=\"bulk-controls\"><legend>Triage</legend>");
        h.Add($"<label><input type=\"radio\" name=\"scope\" value=\"selected\" checked> selected rows</label>");
        h.Add($"<label><input type=\"radio\" name=\"scope\" value=\"filter\"> all {HtmlFormat.Number(total)} matching the filter</label>");
        h.Add($"<label>Status<select name=\"status\"><option value=\"keep\">(keep)</option>");
        foreach (var s in TriageStatusNames.All) h.Add($"<option value=\"{s.ToWire()}\">{s.ToLabel()}</option>");
        h.Add($"</select></label><label>Owner<input name=\"owner\" maxlength=\"{TriageChange.MaxOwnerLength}\" placeholder=\"(keep)\"></label>");
        h.Add($"<label><input type=\"checkbox\" name=\"clearOwner\" value=\"1\"> no owner</label>");
        h.Add($"<label>Note<input name=\"note\" maxlength=\"{TriageChange.MaxNoteLength}\"></label>");
        h.Add($"<button type=\"submit\" id=\"bulk-apply\">Apply</button></fieldset>");
    }

    private static async Task GroupsAsync(HtmlBuilder h, PageContext page, FindingFilter filter, FindingQueries queries)
    {
        var result = await queries.GroupAsync(filter, page.Aborted).ConfigureAwait(false);
        var what = filter.Grouping == FindingGrouping.Server ? "server" : "client";
        h.Add($"<p class=\"muted\" data-test=\"count\">{HtmlFormat.Number(result.TotalGroups)} {what}{(result.TotalGroups == 1 ? "" : "s")} match");
        if (result.TotalGroups > result.Groups.Count) h.Add($"; the {HtmlFormat.Number(result.Groups.Count)} with the most shadow endpoints are shown");
        h.Add($".</p>");
        if (result.Groups.Count == 0)
        {
            Fragments.Notice(h, "off", "No findings match these filters.");
            return;
        }
        h.Add($"<table data-test=\"groups\"><thead><tr><th>{(what == "server" ? "Server name" : "Client")}</th><th class=\"num\">Endpoints</th>");
        h.Add($"<th class=\"num\">Shadow</th><th class=\"num\">Suspected</th><th class=\"num\">Sanctioned</th><th class=\"num\">New this week</th>");
        h.Add($"<th class=\"num\">Flows</th><th>Last seen</th></tr></thead><tbody>");
        foreach (var g in result.Groups)
        {
            // A group opens as the endpoint list searched for its name (server names and clients are searched).
            var open = filter with { Text = g.Key.Length == 0 ? null : g.Key, Grouping = FindingGrouping.None };
            h.Add($"<tr data-group=\"{g.Key}\"><td>");
            if (g.Key.Length == 0) h.Add($"<span class=\"muted\">(no name seen)</span>");
            else h.Add($"<a class=\"mono\" href=\"{page.Url("/findings") + open.ToQuery(1)}\">{g.Key}</a>");
            h.Add($"</td><td class=\"num\">{HtmlFormat.Number(g.Endpoints)}</td><td class=\"num\">{HtmlFormat.Number(g.Shadow)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(g.Suspected)}</td><td class=\"num\">{HtmlFormat.Number(g.Sanctioned)}</td>");
            h.Add($"<td class=\"num\">{HtmlFormat.Number(g.New)}</td><td class=\"num\">{HtmlFormat.Number(g.Flows)}</td><td>{HtmlFormat.Time(g.LastSeen)}</td></tr>");
        }
        h.Add($"</tbody></table>");
    }

    private static void Header(HtmlBuilder h, PageContext page, FindingFilter filter, string label, FindingSort sort, bool numeric = false)
    {
        var current = filter.Sort == sort;
        var aria = current ? (filter.Descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"") : "";
        var arrow = current ? (filter.Descending ? " ▼" : " ▲") : "";
        h.Add($"<th{new HtmlRaw((numeric ? " class=\"num\"" : "") + aria)}><a data-sort=\"{sort.ToWire()}\" href=\"{page.Url("/findings") + filter.SortedBy(sort)}\">{label}{arrow}</a></th>");
    }

    private static void Counts(HtmlBuilder h, PageContext page, FindingFilter filter, VerdictCounts counts)
    {
        h.Add($"<nav class=\"counts\" aria-label=\"counts per verdict\" data-test=\"verdict-counts\">");
        Count(h, page, filter, null, counts.Total);
        Count(h, page, filter, Verdict.Shadow, counts.Shadow);
        Count(h, page, filter, Verdict.Suspected, counts.Suspected);
        Count(h, page, filter, Verdict.Sanctioned, counts.Sanctioned);
        h.Add($"<span data-test=\"new-count\">{HtmlFormat.Number(counts.New)} new this week</span></nav>");
    }

    private static void StatusCounts(HtmlBuilder h, PageContext page, FindingFilter filter, IReadOnlyDictionary<TriageStatus, int> counts)
    {
        h.Add($"<nav class=\"counts\" aria-label=\"counts per triage status\" data-test=\"status-counts\">");
        h.Add($"<a class=\"{(filter.Status is null ? "current" : "")}\" data-status=\"any\" href=\"{page.Url("/findings") + filter.WithStatus(null)}\">any status</a>");
        foreach (var s in TriageStatusNames.All)
            h.Add($"<a class=\"{(filter.Status == s ? "current" : "")}\" data-status=\"{s.ToWire()}\" href=\"{page.Url("/findings") + filter.WithStatus(s)}\">{s.ToLabel()}: <span class=\"n\">{HtmlFormat.Number(counts.GetValueOrDefault(s))}</span></a>");
        h.Add($"</nav>");
    }

    private static void Count(HtmlBuilder h, PageContext page, FindingFilter filter, Verdict? verdict, int n)
    {
        var label = verdict?.ToWire() ?? "all";
        var css = filter.Verdict == verdict ? "current" : "";
        h.Add($"<a class=\"{css}\" data-verdict=\"{label}\" href=\"{page.Url("/findings") + filter.WithVerdict(verdict)}\">{label}: <span class=\"n\">{HtmlFormat.Number(n)}</span></a>");
    }

    private static void Tools(HtmlBuilder h, PageContext page, FindingFilter filter)
    {
        h.Add($"<div class=\"tools\"><span>Show:");
        foreach (var (grouping, label) in new[] { (FindingGrouping.None, "endpoints"), (FindingGrouping.Server, "by server"), (FindingGrouping.Client, "by client") })
        {
            if (filter.Grouping == grouping) h.Add($" <strong>{label}</strong>");
            else h.Add($" <a data-group-by=\"{grouping.ToString().ToLowerInvariant()}\" href=\"{page.Url("/findings") + filter.GroupedBy(grouping)}\">{label}</a>");
        }
        var csv = filter with { Grouping = FindingGrouping.None };
        h.Add($"</span><a data-test=\"export-csv\" href=\"{page.Url("/findings.csv") + csv.ToQuery(1)}\">Export this view as CSV</a></div>");
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
        h.Add($"<label>Search endpoint, host, server, client, evidence<input type=\"search\" name=\"q\" id=\"q\" size=\"32\" maxlength=\"{FindingFilter.MaxTextLength}\" value=\"{filter.Text}\"></label>");
        h.Add($"<label>Status<select name=\"status\" id=\"status\"><option value=\"\">any</option>");
        foreach (var st in TriageStatusNames.All)
            h.Add($"<option value=\"{st.ToWire()}\"{new HtmlRaw(filter.Status == st ? " selected" : "")}>{st.ToLabel()}</option>");
        h.Add($"</select></label>");
        h.Add($"<label>Basis<select name=\"basis\" id=\"basis\"><option value=\"\">any</option>");
        foreach (var b in FindingBasisNames.All)
            h.Add($"<option value=\"{b.ToWire()}\" title=\"{b.Meaning()}\"{new HtmlRaw(filter.Basis == b ? " selected" : "")}>{b.ToWire()}</option>");
        h.Add($"</select></label>");
        h.Add($"<label><input type=\"checkbox\" name=\"new\" value=\"1\"{new HtmlRaw(filter.NewThisWeek ? " checked" : "")}> new this week only</label>");
        // Sort and grouping survive a new search.
        if (filter.Sort != FindingSort.LastSeen || !filter.Descending)
        {
            h.Add($"<input type=\"hidden\" name=\"sort\" value=\"{filter.Sort.ToWire()}\">");
            h.Add($"<input type=\"hidden\" name=\"dir\" value=\"{(filter.Descending ? "desc" : "asc")}\">");
        }
        if (filter.Grouping != FindingGrouping.None) h.Add($"<input type=\"hidden\" name=\"group\" value=\"{filter.Grouping.ToString().ToLowerInvariant()}\">");
        h.Add($"<button type=\"submit\">Filter</button> <a href=\"{page.Url("/findings")}\">Clear</a></form>");
    }

    private static void Pager(HtmlBuilder h, PageContext page, FindingFilter filter, FindingPage result)
    {
        if (result.Pages <= 1) return;
        h.Add($"<nav class=\"pager\" aria-label=\"pages\">");
        if (result.Page > 1) h.Add($"<a rel=\"prev\" href=\"{page.Url("/findings") + filter.ToQuery(result.Page - 1)}\">← Previous</a>");
        h.Add($"<span>Page {result.Page} of {result.Pages}</span>");
        if (result.Page < result.Pages) h.Add($"<a rel=\"next\" href=\"{page.Url("/findings") + filter.ToQuery(result.Page + 1)}\">Next →</a>");
        h.Add($"</nav>");
    }
}
