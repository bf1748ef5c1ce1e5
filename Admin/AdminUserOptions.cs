namespace ShadowMcp.Admin;

/// <summary>
/// One named admin user (Admin:Users:N): a name that goes into every action they take, their own token (or its
/// "sha256:" hash, so the settings file holds no secret) and a role: viewer, analyst or admin.
/// </summary>
public sealed class AdminUserOptions
{
    public string Name { get; set; } = "";
    public string? Token { get; set; }
    public string? TokenHash { get; set; }
    public string Role { get; set; } = "viewer";
}
