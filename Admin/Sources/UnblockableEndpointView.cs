namespace ShadowMcp.Admin.Sources;

/// <summary>
/// An endpoint the policy selects that no configured backend can express (e.g. an address under DNS backends):
/// it would otherwise read "pending" for ever. <paramref name="CouldBlock"/> names backend types that could.
/// </summary>
public sealed record UnblockableEndpointView(string Endpoint, IReadOnlyList<string> CouldBlock);
