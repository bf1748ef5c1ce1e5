using System.Net;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace ShadowMcp.Admin.Auth.Oidc;

/// <summary>The start-up checks of Admin:Oidc, each error naming its key, so a bad setting never waits for a login.</summary>
internal static class OidcOptionsChecks
{
    public static IEnumerable<string> Errors(AdminOidcOptions o)
    {
        if (!o.Enabled)
        {
            if (o.ClientSecret is not null || o.ClientSecretFile is not null || o.RoleMappings.Count > 0)
                yield return "Admin:Oidc:ClientId is required when other Admin:Oidc settings (secret, role mappings) are set.";
            yield break;
        }
        if (o.ClientId is { } id && (id.Any(char.IsControl) || id.Length > 200))
            yield return "Admin:Oidc:ClientId must be at most 200 characters without control characters.";
        if (string.IsNullOrWhiteSpace(o.Authority))
            yield return "Admin:Oidc:Authority is required (the provider's issuer URL; `serve` uses the portal's JWT issuer when it runs the portal).";
        else if (UrlProblem(o.Authority) is { } problem)
            yield return $"Admin:Oidc:Authority '{o.Authority}' {problem}";
        if (o.Issuer is { } issuer && !Uri.TryCreate(issuer, UriKind.Absolute, out _))
            yield return $"Admin:Oidc:Issuer '{issuer}' must be an absolute URL.";
        if ((o.ClientSecret is null) == (o.ClientSecretFile is null))
            yield return "Admin:Oidc: set exactly one of ClientSecret (from the environment) and ClientSecretFile.";
        else if (o.ClientSecretFile is { } file && SecretFileProblem(file) is { } fileProblem)
            yield return $"Admin:Oidc:ClientSecretFile '{file}' {fileProblem}";
        else if (o.ClientSecret is { } secret && string.IsNullOrWhiteSpace(secret))
            yield return "Admin:Oidc:ClientSecret is empty.";
        if (!o.RedirectPath.StartsWith('/') || o.RedirectPath.Contains("//", StringComparison.Ordinal)
            || o.RedirectPath.IndexOfAny(['?', '#', '\\', ' ']) >= 0)
            yield return $"Admin:Oidc:RedirectPath '{o.RedirectPath}' must be a path such as /admin/signin-oidc.";
        if (!o.EffectiveScopes.Contains("openid", StringComparer.Ordinal))
            yield return "Admin:Oidc:Scopes must include openid.";
        if (o.EffectiveScopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Any(char.IsWhiteSpace)))
            yield return "Admin:Oidc:Scopes must be single words without spaces.";
        if (string.IsNullOrWhiteSpace(o.RoleClaim))
            yield return "Admin:Oidc:RoleClaim must name a claim, such as groups or roles.";
        if (string.IsNullOrWhiteSpace(o.NameClaim))
            yield return "Admin:Oidc:NameClaim must name a claim, such as preferred_username, email or sub.";
        if (!Enum.TryParse<PushedAuthorizationBehavior>(o.PushedAuthorization, ignoreCase: true, out var par) || !Enum.IsDefined(par)
            || int.TryParse(o.PushedAuthorization, out _))
            yield return $"Admin:Oidc:PushedAuthorization '{o.PushedAuthorization}' must be UseIfAvailable, Require or Disable.";
        if (o.RoleMappings.Count == 0)
            yield return "Admin:Oidc:RoleMappings is empty, so nobody could sign in: map at least one group to a role.";
        for (var i = 0; i < o.RoleMappings.Count; i++)
        {
            var m = o.RoleMappings[i];
            if (string.IsNullOrWhiteSpace(m.Value))
                yield return $"Admin:Oidc:RoleMappings:{i}:Value must not be empty.";
            if (!OidcRoleMapper.TryParseRole(m.Role, out _))
                yield return $"Admin:Oidc:RoleMappings:{i}:Role '{m.Role}' must be viewer, analyst or admin.";
        }
    }

    /// <summary>HTTPS, except on a loopback host (a provider on the same machine).</summary>
    private static string? UrlProblem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "must be an absolute http(s) URL.";
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            return "must not have a query or fragment.";
        if (uri.Scheme == "http" && !IsLoopback(uri))
            return "must use https (plain http only for a provider on this machine: 127.0.0.1, ::1, localhost).";
        return null;
    }

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string? SecretFileProblem(string path)
    {
        try
        {
            return string.IsNullOrWhiteSpace(File.ReadAllText(path)) ? "is empty." : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot be read: {ex.GetType().Name}.";
        }
    }
}
