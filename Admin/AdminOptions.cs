namespace ShadowMcp.Admin;

/// <summary>Configuration section "Admin". With no token (or hash) configured every admin page is refused.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Store path; null means ShadowMcp.Core.Store.StorePaths.Default.</summary>
    public string? DbPath { get; set; }
    /// <summary>The admin token in clear (at least 16 characters). Prefer <see cref="AdminTokenHash"/> in files.</summary>
    public string? AdminToken { get; set; }
    /// <summary>"sha256:" followed by the 64 hex digits of SHA-256 over the token's UTF-8 bytes.</summary>
    public string? AdminTokenHash { get; set; }
    /// <summary>Where the report files live (and where "generate now" writes). Null hides the reports pages' content.</summary>
    public string? ReportsDirectory { get; set; }
    /// <summary>IANA zone for "generate now" weeks; null or "UTC" is UTC, "local" the host's zone.</summary>
    public string? ReportsTimeZone { get; set; }
    /// <summary>How long a login lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>Rows per page in the findings and audit lists.</summary>
    public int PageSize { get; set; } = 50;
    /// <summary>Named users, each with their own token and role; the shared AdminToken, if set, signs in as "admin-ui".</summary>
    public List<AdminUserOptions> Users { get; set; } = [];
    /// <summary>Sign-in through an OpenID Connect provider, beside the tokens.</summary>
    public AdminOidcOptions Oidc { get; set; } = new();
    /// <summary>Wrong tokens one client address may send per <see cref="LoginFailureWindow"/>; then its logins get 429 until the window ends.</summary>
    public int LoginFailuresPerWindow { get; set; } = 5;
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(5);
}
