using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Html;
using ShadowMcp.Admin.Reports;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Admin.Pages;

/// <summary>The report files, a "generate now" form, and the viewer that frames one HTML report.</summary>
internal static class ReportsPage
{
    public static IResult Render(PageContext page, string? week = null, Notice? notice = null, int status = StatusCodes.Status200OK)
    {
        var library = page.Service<ReportLibrary>();
        var h = new HtmlBuilder();
        h.Add($"<h1>Reports</h1>");
        if (notice is { } n) Fragments.Notice(h, n.Kind, n.Text);
        if (library.Directory is null)
        {
            Fragments.NotConfigured(h, "A reports directory", "Set Admin__ReportsDirectory to list and generate reports here.");
            return Layout.Page(page, "Reports", AdminSection.Reports, h, status);
        }
        h.Add($"<form class=\"filters\" method=\"post\" action=\"{page.Url("/reports/generate")}\">{page.CsrfField}");
        h.Add($"<label>ISO week<input name=\"week\" id=\"week\" pattern=\"\\d{{4}}-[Ww]\\d{{2}}\" placeholder=\"2026-W47\" value=\"{week ?? library.DefaultWeek()}\" required></label>");
        h.Add($"<button type=\"submit\">Generate now</button><span class=\"muted\">HTML, Markdown, CSV and JSON into <code>{library.Directory}</code></span></form>");
        var reports = library.List();
        if (reports.Count == 0)
        {
            Fragments.Notice(h, "off", "No reports yet.");
        }
        else
        {
            h.Add($"<table data-test=\"reports\"><thead><tr><th>File</th><th>Format</th><th class=\"num\">Size</th><th>Written</th><th></th></tr></thead><tbody>");
            foreach (var r in reports)
            {
                h.Add($"<tr><td class=\"mono\">{r.FileName}</td><td>{r.Extension}</td><td class=\"num\">{HtmlFormat.Bytes(r.Size)}</td><td>{HtmlFormat.Time(r.ModifiedUtc)}</td><td>");
                if (r.IsHtml) h.Add($"<a href=\"{page.Url("/reports/view/" + r.FileName)}\">View</a> · ");
                h.Add($"<a href=\"{page.Url("/reports/file/" + r.FileName)}\" download>Download</a></td></tr>");
            }
            h.Add($"</tbody></table>");
        }
        return Layout.Page(page, "Reports", AdminSection.Reports, h, status);
    }

    public static async Task<IResult> GenerateAsync(PageContext page)
    {
        var form = await page.Http.Request.ReadFormAsync(page.Aborted).ConfigureAwait(false);
        var week = form["week"].ToString().Trim();
        try
        {
            var files = await page.Service<ReportLibrary>().GenerateAsync(week, page.Aborted).ConfigureAwait(false);
            return Render(page, week, new Notice("ok", $"Generated {string.Join(", ", files)}."));
        }
        catch (ReportInputException ex)
        {
            return Render(page, week, new Notice("error", ex.Message), StatusCodes.Status400BadRequest);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ShadowMcp.Core.Store.StoreException)
        {
            return Render(page, week, new Notice("error", "The report could not be written: " + ex.Message), StatusCodes.Status500InternalServerError);
        }
    }

    public static IResult View(PageContext page, string fileName)
    {
        var library = page.Service<ReportLibrary>();
        if (library.Resolve(fileName) is null || !fileName.EndsWith(".html", StringComparison.Ordinal))
            return ErrorPages.NotFound(page, $"There is no HTML report named '{fileName}'.");
        var h = new HtmlBuilder();
        h.Add($"<p><a href=\"{page.Url("/reports")}\">← All reports</a> · <a href=\"{page.Url("/reports/file/" + fileName)}\" download>Download</a></p>");
        h.Add($"<h1 class=\"mono\">{fileName}</h1>");
        // sandbox without allow-scripts / allow-same-origin: the report is a static document in an opaque origin.
        h.Add($"<iframe class=\"report\" sandbox title=\"{fileName}\" src=\"{page.Url("/reports/file/" + fileName)}\"></iframe>");
        return Layout.Page(page, fileName, AdminSection.Reports, h);
    }

    /// <summary>The file itself, with a CSP that forbids scripts and every load, and sandboxes it even when opened directly.</summary>
    public static IResult File(PageContext page, string fileName)
    {
        var path = page.Service<ReportLibrary>().Resolve(fileName);
        if (path is null) return ErrorPages.NotFound(page, $"There is no report named '{fileName}'.");
        var h = page.Http.Response.Headers;
        h.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox";
        // Framed by the viewer page on this origin (the base headers said DENY).
        h.XFrameOptions = "SAMEORIGIN";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
        return Results.File(path, ReportLibrary.MediaType(fileName));
    }

    internal readonly record struct Notice(string Kind, string Text);
}
