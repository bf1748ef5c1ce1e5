using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Sources;

namespace ShadowMcp.Admin.Pages;

/// <summary>The portal's audit log, newest first, under the result of verifying its hash chain.</summary>
internal static class AuditPage
{
    public static async Task<IResult> RenderAsync(PageContext page)
    {
        var source = page.Service<IPortalAdminSource>();
        var size = page.Service<IOptions<AdminOptions>>().Value.PageSize;
        var pageNumber = int.TryParse(page.Http.Request.Query["page"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        var h = new HtmlBuilder();
        h.Add($"<h1>Audit log</h1>");
        var status = await source.VerifyAuditAsync(page.Aborted).ConfigureAwait(false);
        var log = await source.GetAuditAsync((pageNumber - 1) * size, size, page.Aborted).ConfigureAwait(false);
        if (status is null && log is null)
        {
            Fragments.NotConfigured(h, "The portal audit log", "Audit entries and the chain check appear here once the host runs the portal.");
            return Layout.Page(page, "Audit log", AdminSection.Audit, h);
        }
        if (status is null) Fragments.Notice(h, "off", "The audit chain could not be verified: no verifier is available.");
        else if (status.Intact)
            h.Add($"<p class=\"notice ok\" data-test=\"chain-status\"><strong>Chain verified: intact.</strong> {HtmlFormat.Number(status.Entries)} entries. {status.Detail}</p>");
        else
            h.Add($"<p class=\"notice error\" data-test=\"chain-status\"><strong>Chain verification FAILED.</strong> {HtmlFormat.Number(status.Entries)} entries. {status.Detail}</p>");
        if (log is null || log.Entries.Count == 0)
        {
            Fragments.Notice(h, "off", "No audit entries on this page.");
            return Layout.Page(page, "Audit log", AdminSection.Audit, h);
        }
        h.Add($"<table data-test=\"audit\"><thead><tr><th class=\"num\">#</th><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Outcome</th><th>Detail</th><th>Hash</th></tr></thead><tbody>");
        foreach (var e in log.Entries)
            h.Add($"<tr><td class=\"num\">{e.Sequence}</td><td>{HtmlFormat.Time(e.TimeUtc)}</td><td>{e.Actor}</td><td>{e.Action}</td><td class=\"mono\">{e.Target}</td><td>{e.Outcome}</td><td>{e.Detail}</td><td class=\"mono\" title=\"{e.Hash}\">{(e.Hash.Length > 12 ? e.Hash[..12] + "…" : e.Hash)}</td></tr>");
        h.Add($"</tbody></table>");
        var pages = (int)Math.Max(1, (log.Total + size - 1) / size);
        if (pages > 1)
        {
            h.Add($"<nav class=\"pager\" aria-label=\"pages\">");
            if (pageNumber > 1) h.Add($"<a rel=\"prev\" href=\"{page.Url("/audit?page=" + (pageNumber - 1).ToString(CultureInfo.InvariantCulture))}\">← Newer</a>");
            h.Add($"<span>Page {pageNumber} of {pages}</span>");
            if (pageNumber < pages) h.Add($"<a rel=\"next\" href=\"{page.Url("/audit?page=" + (pageNumber + 1).ToString(CultureInfo.InvariantCulture))}\">Older →</a>");
            h.Add($"</nav>");
        }
        return Layout.Page(page, "Audit log", AdminSection.Audit, h);
    }
}
