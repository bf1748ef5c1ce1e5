using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Html;

namespace ShadowMcp.Admin.Pages;

/// <summary>The token form. The only page (with its POST) that is reachable without being signed in.</summary>
internal static class LoginPage
{
    public static IResult Render(
        PageContext page, string returnUrl, string? error, bool tokenConfigured, AdminOidcOptions? oidc, int status = StatusCodes.Status200OK)
    {
        var h = new HtmlBuilder();
        h.Add($"<div class=\"login\"><h1>Sign in</h1>");
        if (!tokenConfigured && oidc is null)
            Fragments.Notice(h, "error", "No admin token is configured, so nobody can sign in. Set Admin__AdminToken or Admin__AdminTokenHash and restart.");
        if (error is not null) Fragments.Notice(h, "error", error);
        // A link, not a form: the CSP's form-action 'self' would also stop the redirect on to the provider.
        if (oidc is not null)
            h.Add($"<p><a class=\"sso\" data-test=\"oidc-login\" href=\"{page.Url("/login/oidc?returnUrl=" + Uri.EscapeDataString(returnUrl))}\">Sign in with {oidc.DisplayName}</a></p>");
        h.Add($"<form method=\"post\" action=\"{page.Url("/login")}\">{page.CsrfField}");
        h.Add($"<input type=\"hidden\" name=\"returnUrl\" value=\"{returnUrl}\">");
        h.Add($"<label for=\"token\">Admin token</label><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required autofocus>");
        h.Add($"<button type=\"submit\">Sign in</button></form></div>");
        return Layout.Page(page, "Sign in", AdminSection.None, h, status, signedIn: false);
    }

    /// <summary>Only a path under the admin prefix is followed after login; anything else (another host, "//evil") goes to the findings list.</summary>
    public static string SafeReturnUrl(string? candidate, string prefix)
    {
        if (string.IsNullOrEmpty(candidate) || candidate.Length > 2000) return prefix + "/findings";
        if (!candidate.StartsWith(prefix + "/", StringComparison.Ordinal) && candidate != prefix) return prefix + "/findings";
        if (candidate.Contains("//", StringComparison.Ordinal) || candidate.Contains('\\', StringComparison.Ordinal)) return prefix + "/findings";
        return candidate;
    }
}
