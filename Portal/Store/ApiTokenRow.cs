namespace ShadowMcp.Portal.Store;

/// <summary>An API token. Only the SHA-256 of the secret is kept; the secret is shown once at creation.</summary>
internal sealed class ApiTokenRow
{
    public string Id { get; set; } = "";
    public string Group { get; set; } = "";
    public string? Name { get; set; }
    public string SecretHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
