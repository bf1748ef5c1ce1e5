using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ShadowMcp.Admin.Auth;

/// <summary>The admin UI's own check (session cookie or admin bearer token) for endpoints its host maps beside it, such as /metrics.</summary>
public static class AdminAccess
{
    public static bool IsAdmin(HttpContext context) =>
        context.RequestServices.GetService<AdminAuthentication>()?.IsAuthenticated(context) == true;
}
