namespace ShadowMcp.Admin.Sources;

/// <summary>One policy: who (<paramref name="Subjects"/>) may or may not do what (<paramref name="Effect"/>, e.g. "allow", "deny", "dlp").</summary>
public sealed record PortalPolicyView(string Name, string Effect, string Subjects, string Target, string? Description);
