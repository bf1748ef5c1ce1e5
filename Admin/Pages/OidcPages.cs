using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Auth;
using ShadowMcp.Admin.Html;

namespace ShadowMcp.Admin.Pages;

/// <summary>The pages an OIDC sign-in ends on: refused (403), failed (401), or signed in and moving on.</summary>
internal static class OidcPages
{
    public static IResult Refused(PageContext page, string? name)
    {
        var h = new HtmlBuilder();
        h.Add($"<div class=\"login\" data-test=\"oidc-refused\"><h1>No access</h1>");
        Fragments.Notice(h, "error", name is null
            ? "The provider signed you in, but did not say who you are, so this admin UI cannot let you in."
            : $"{name} is signed in at the provider, but has no role in this admin UI. Ask an administrator to add one of your groups.");
        h.Add($"<p><a href=\"{page.Url("/login")}\">Back to sign-in</a></p></div>");
        return Layout.Page(page, "No access", AdminSection.None, h, StatusCodes.Status403Forbidden, signedIn: false);
    }

    public static IResult Failed(PageContext page, string reason)
    {
        var h = new HtmlBuilder();
        h.Add($"<div class=\"login\" data-test=\"oidc-failed\"><h1>Sign-in failed</h1>");
        Fragments.Notice(h, "error", $"The sign-in could not be completed: {reason}. Nothing was signed in.");
        h.Add($"<p><a href=\"{page.Url("/login")}\">Back to sign-in</a></p></div>");
        return Layout.Page(page, "Sign-in failed", AdminSection.None, h, StatusCodes.Status401Unauthorized, signedIn: false);
    }

    /// <summary>
    /// A page that moves on by itself, not a redirect: the session cookie is SameSite=Strict, and a browser does not
    /// send it on a redirect chain that began at the provider's site; a navigation this page starts is same-site.
    /// </summary>
    public static IResult Continue(PageContext page, AdminPrincipal principal, string returnUrl)
    {
        page.Http.Response.Headers["Refresh"] = "0;url=" + returnUrl;
        var h = new HtmlBuilder();
        h.Add($"<div class=\"login\" data-test=\"oidc-continue\"><h1>Signed in</h1>");
        h.Add($"<p>Signed in as <strong>{principal.Name}</strong> ({principal.Role.ToString().ToLowerInvariant()}).</p>");
        h.Add($"<p><a href=\"{returnUrl}\">Continue</a></p></div>");
        return Layout.Page(page, "Signed in", AdminSection.None, h, StatusCodes.Status200OK, signedIn: false);
    }
}
