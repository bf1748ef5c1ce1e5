using Microsoft.Extensions.Options;
using ShadowMcp.Admin.Auth;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Admin;

/// <summary>Stops start-up on a token that is set but unusable; an absent token is allowed (the UI then refuses everyone).</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new List<string>();
        if (options.AdminToken is { } token && token.Length < AdminTokenVerifier.MinimumTokenLength)
            errors.Add($"Admin:AdminToken is too short ({token.Length} characters); use at least {AdminTokenVerifier.MinimumTokenLength}.");
        if (options.AdminTokenHash is { } hash && !AdminTokenVerifier.TryParseHash(hash, out _))
            errors.Add("Admin:AdminTokenHash must be 'sha256:' followed by 64 hex digits.");
        if (options.AdminToken is not null && options.AdminTokenHash is not null)
            errors.Add("Set only one of Admin:AdminToken and Admin:AdminTokenHash.");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var u = options.Users[i];
            var at = $"Admin:Users:{i}";
            if (string.IsNullOrWhiteSpace(u.Name) || u.Name.Length > 64 || u.Name.Any(char.IsControl))
                errors.Add($"{at}:Name must be 1 to 64 characters without control characters.");
            else if (u.Name.Equals(Auth.AdminPrincipal.SharedTokenName, StringComparison.OrdinalIgnoreCase) || !names.Add(u.Name))
                errors.Add($"{at}:Name '{u.Name}' is taken.");
            if ((u.Token is null) == (u.TokenHash is null))
                errors.Add($"{at}: set exactly one of Token and TokenHash.");
            if (u.Token is { } t && t.Length < AdminTokenVerifier.MinimumTokenLength)
                errors.Add($"{at}:Token is too short ({t.Length} characters); use at least {AdminTokenVerifier.MinimumTokenLength}.");
            if (u.TokenHash is { } h && !AdminTokenVerifier.TryParseHash(h, out _))
                errors.Add($"{at}:TokenHash must be 'sha256:' followed by 64 hex digits.");
            if (!Enum.TryParse<Auth.AdminRole>(u.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(u.Role, out _))
                errors.Add($"{at}:Role '{u.Role}' must be viewer, analyst or admin.");
        }
        errors.AddRange(Auth.Oidc.OidcOptionsChecks.Errors(options.Oidc));
        if (options.SessionLifetime <= TimeSpan.Zero)
            errors.Add($"Admin:SessionLifetime '{options.SessionLifetime}' must be positive.");
        if (options.LoginFailuresPerWindow is < 1 or > 1000)
            errors.Add($"Admin:LoginFailuresPerWindow {options.LoginFailuresPerWindow} must be between 1 and 1000.");
        if (options.LoginFailureWindow <= TimeSpan.Zero)
            errors.Add($"Admin:LoginFailureWindow '{options.LoginFailureWindow}' must be positive.");
        if (options.PageSize is < 1 or > 1000)
            errors.Add($"Admin:PageSize {options.PageSize} must be between 1 and 1000.");
        try
        {
            _ = TimeZones.Find(options.ReportsTimeZone);
        }
        catch (ReportInputException ex)
        {
            errors.Add("Admin:ReportsTimeZone: " + ex.Message);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
