namespace ShadowMcp.Portal.Auth;

internal readonly record struct JwtCheck(string? User, IReadOnlyList<string> Groups, string? Failure);
