using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ShadowMcp.Admin.Auth;

/// <summary>Decides whether a request is the admin: a valid session cookie, or <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
internal sealed class AdminAuthentication(AdminTokenVerifier verifier, AdminSessions sessions)
{
    public const string CookieName = "shadowmcp_admin";

    public bool IsAuthenticated(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return verifier.Verify(authorization.AsSpan(7).Trim());
        return sessions.IsValid(context.Request.Cookies[CookieName]);
    }

    public void SignIn(HttpContext context, string cookiePath)
    {
        // A fresh id at every login: a session id planted before login is never promoted.
        sessions.End(context.Request.Cookies[CookieName]);
        context.Response.Cookies.Append(CookieName, sessions.Create(), CookieOptions(context, cookiePath));
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
