using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Auth;

internal readonly record struct ApiTokenCheck(ApiTokenRow? Token, string? Failure);
