using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ShadowMcp.Admin.Auth;

/// <summary>
/// Decides who a request is: a valid session cookie, or <c>Authorization: Bearer &lt;token&gt;</c> of the shared admin
/// token or a named user. Null means nobody.
/// </summary>
internal sealed class AdminAuthentication(AdminTokenVerifier verifier, AdminSessions sessions)
{
    public const string CookieName = "shadowmcp_admin";
    private static readonly object PrincipalKey = new();

    public bool IsAuthenticated(HttpContext context) => Principal(context) is not null;

    public AdminPrincipal? Principal(HttpContext context)
    {
        if (context.Items.TryGetValue(PrincipalKey, out var known)) return known as AdminPrincipal;
        var authorization = context.Request.Headers.Authorization.ToString();
        var principal = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? verifier.Identify(authorization.AsSpan(7).Trim())
            : sessions.Find(context.Request.Cookies[CookieName]);
        context.Items[PrincipalKey] = principal;
        return principal;
    }

    public void SignIn(HttpContext context, string cookiePath, AdminPrincipal principal)
    {
        // A fresh id at every login: a session id planted before login is never promoted.
        sessions.End(context.Request.Cookies[CookieName]);
        context.Response.Cookies.Append(CookieName, sessions.Create(principal), CookieOptions(context, cookiePath));
    }

    public void SignOut(HttpContext context, string cookiePath)
    {
        sessions.End(context.Request.Cookies[CookieName]);
        context.Response.Cookies.Delete(CookieName, CookieOptions(context, cookiePath));
    }

    private static CookieOptions CookieOptions(HttpContext context, string path) => new()
    {
        HttpOnly = true,
        SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = path,
        IsEssential = true,
    };

    public static void Challenge(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"shadowmcp-admin\"";
    }
}
