using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Admin.Auth;
using ShadowMcp.Admin.Html;

namespace ShadowMcp.Admin.Pages;

/// <summary>Wraps a page body in the shared frame and sets the security headers every admin page carries.</summary>
internal static class Layout
{
    private static readonly (AdminSection Section, string Path, string Label)[] Nav =
    [
        (AdminSection.Findings, "/findings", "Findings"),
        (AdminSection.Reports, "/reports", "Reports"),
        (AdminSection.Portal, "/portal", "Portal"),
        (AdminSection.Audit, "/audit", "Audit log"),
        (AdminSection.Enforcement, "/enforcement", "Enforcement"),
        (AdminSection.Hosts, "/hosts", "Hosts"),
    ];

    public static IResult Page(PageContext page, string title, AdminSection section, HtmlBuilder body, int status = StatusCodes.Status200OK, bool signedIn = true)
    {
        var html = new HtmlBuilder();
        html.Add($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Add($"<title>{title} · ShadowMcp admin</title><style nonce=\"{page.Nonce}\">{new HtmlRaw(PageStyle.Css)}</style></head><body>");
        html.Add($"<header><span class=\"brand\">ShadowMcp admin</span>");
        if (signedIn)
        {
            html.Add($"<nav>");
            foreach (var (s, path, label) in Nav)
                html.Add($"<a href=\"{page.Url(path)}\"{new HtmlRaw(s == section ? " class=\"active\" aria-current=\"page\"" : "")}>{label}</a>");
            html.Add($"</nav>");
            if (page.Http.RequestServices.GetService<AdminAuthentication>()?.Principal(page.Http) is { } who)
                html.Add($"<span class=\"who\" data-test=\"signed-in-as\">{who.Name} ({who.Role.ToString().ToLowerInvariant()})</span>");
            html.Add($"<form method=\"post\" action=\"{page.Url("/logout")}\">{page.CsrfField}<button class=\"link\" type=\"submit\">Log out</button></form>");
        }
        html.Add($"</header><main>");
        html.Raw(new HtmlRaw(body.ToString()));
        html.Add($"</main><script nonce=\"{page.Nonce}\">{new HtmlRaw(PageStyle.ConfirmScript)}</script></body></html>");
        ApplySecurityHeaders(page.Http.Response, page.Nonce);
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>
    /// No external loads, scripts and styles only with this response's nonce, forms only to this origin, never framed.
    /// </summary>
    public static void ApplySecurityHeaders(HttpResponse response, string nonce)
    {
        ApplyBaseHeaders(response);
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; img-src 'self' data:; " +
            "frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    /// <summary>
    /// What every answer under the admin prefix carries, set before its handler runs (a page or a report file then
    /// sets its own CSP): the CSV export, the JSON API, redirects, 401 and 403 hold or lead to findings, so they are
    /// never sniffed into HTML, framed, cached or sent on as a referrer, and run nothing if opened as a document.
    /// </summary>
    public static void ApplyBaseHeaders(HttpResponse response)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";
        h.XFrameOptions = "DENY";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
    }
}
