using Microsoft.AspNetCore.Http;

namespace ShadowMcp.Admin.Triage;

/// <summary>
/// Who an admin action is recorded as. One shared token signs everyone in today, so every action is "admin-ui";
/// the triage code takes the actor as a parameter throughout, so named users only need to change this one place.
/// </summary>
internal static class AdminActor
{
    public const string SharedToken = "admin-ui";

    public static string Of(HttpContext context)
    {
        _ = context; // the signed-in person will come from here once admin users have names
        return SharedToken;
    }
}
