using System.Security.Claims;
using ShadowMcp.Portal.Auth;

namespace ShadowMcp.Portal.Policy;

/// <summary>Who is calling through the portal: an authenticated user, their groups and the MCP client they use.</summary>
internal sealed record PortalCaller(string User, IReadOnlyList<string> Groups, string? ClientName, string? ClientVersion)
{
    /// <summary>Set for calls made by a code-mode script: the execution they belong to, kept in their audit rows.</summary>
    public string? ExecutionId { get; init; }

    public string GroupLabel => Groups.Count == 0 ? "" : string.Join(",", Groups);

    public static PortalCaller From(ClaimsPrincipal? principal, string? clientName, string? clientVersion)
    {
        var user = principal?.FindFirst(PortalClaims.User)?.Value ?? "anonymous";
        var groups = principal?.FindAll(PortalClaims.Group).Select(c => c.Value).ToList() ?? [];
        return new(user, groups, clientName, clientVersion);
    }
}
