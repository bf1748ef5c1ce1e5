using System.Security.Claims;

namespace ShadowMcp.Admin.Auth.Oidc;

/// <summary>
/// Turns a person the provider vouched for into an admin principal: their name from the name claim, their role the
/// highest one any of their role-claim values maps to. Default deny: no mapped value, no name, or a name that a local
/// user or the shared token already goes by, and they get no access.
/// </summary>
internal sealed class OidcRoleMapper
{
    public const int MaximumNameLength = 200;
    private readonly AdminOidcOptions _options;
    private readonly HashSet<string> _localNames;

    public OidcRoleMapper(AdminOptions options)
    {
        _options = options.Oidc;
        _localNames = new HashSet<string>(options.Users.Select(u => u.Name), StringComparer.OrdinalIgnoreCase)
        {
            AdminPrincipal.SharedTokenName,
        };
    }

    public OidcMapping Map(ClaimsPrincipal person)
    {
        var name = person.FindFirst(_options.NameClaim)?.Value?.Trim();
        if (string.IsNullOrEmpty(name))
            return OidcMapping.Refused(null, $"no '{_options.NameClaim}' claim");
        if (name.Length > MaximumNameLength || name.Any(char.IsControl))
            return OidcMapping.Refused(null, $"the '{_options.NameClaim}' claim is not a usable name");
        // A person must never be mistaken in the logs for a local user or the shared token.
        if (_localNames.Contains(name))
            return OidcMapping.Refused(name, "the name is taken by a local admin user");
        var values = person.FindAll(_options.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        AdminRole? best = null;
        foreach (var m in _options.RoleMappings)
            if (values.Contains(m.Value) && TryParseRole(m.Role, out var role) && (best is null || role > best))
                best = role;
        return best is { } granted
            ? new OidcMapping(new AdminPrincipal(name, granted), name, null)
            : OidcMapping.Refused(name, $"no '{_options.RoleClaim}' value is mapped to a role");
    }

    public static bool TryParseRole(string? text, out AdminRole role) =>
        Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(text, out _);
}

/// <summary>A granted <see cref="Principal"/>, or a refusal with the person's name (when known) and why.</summary>
internal sealed record OidcMapping(AdminPrincipal? Principal, string? Name, string? Refusal)
{
    public static OidcMapping Refused(string? name, string why) => new(null, name, why);
}
