namespace ShadowMcp.Admin.Auth;

/// <summary>What a signed-in person may do: read (viewer), also triage findings (analyst), or everything (admin).</summary>
public enum AdminRole
{
    Viewer = 0,
    Analyst = 1,
    Admin = 2,
}

/// <summary>Who is signed in: a named user from Admin:Users, or "admin-ui" for the shared admin token.</summary>
public sealed record AdminPrincipal(string Name, AdminRole Role)
{
    public const string SharedTokenName = "admin-ui";
}
