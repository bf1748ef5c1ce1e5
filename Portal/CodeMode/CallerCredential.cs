using ShadowMcp.Portal.Auth;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// Re-checks the API token a code-mode session authenticated with before each call from code, so a token revoked
/// during a run stops it at the next call. JWTs cannot be revoked; they are checked on every HTTP request.
/// </summary>
internal sealed class CallerCredential(ApiTokens? tokens, string? apiToken)
{
    public static readonly CallerCredential None = new(null, null);

    public static CallerCredential FromAuthorization(ApiTokens tokens, string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return None;
        var token = authorization[7..].Trim();
        return token.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal) ? new CallerCredential(tokens, token) : None;
    }

    /// <returns>null while the credential is valid, else why not (for the audit log).</returns>
    public string? Failure() => tokens is null || apiToken is null ? null : tokens.Check(apiToken).Failure;
}
