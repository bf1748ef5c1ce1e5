using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;

namespace ShadowMcp.Admin.Triage;

/// <summary>Who an admin action is recorded as: the signed-in user's name, or "admin-ui" for the shared admin token.</summary>
internal static class AdminActor
{
    public const string SharedToken = Auth.AdminPrincipal.SharedTokenName;

    public static string Of(HttpContext context) =>
        context.RequestServices.GetRequiredService<Auth.AdminAuthentication>().Principal(context)?.Name ?? SharedToken;
}
