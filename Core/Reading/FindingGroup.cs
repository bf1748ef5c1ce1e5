namespace ShadowMcp.Core.Reading;

/// <summary>
/// One server name or one client with the endpoints it covers, counted per verdict; <see cref="New"/> are those first
/// seen on or after the time the reader was given, <see cref="LastSeen"/> the newest activity (UTC).
/// </summary>
public sealed record FindingGroup(string Key, int Endpoints, long Flows, int Shadow, int Suspected, int Sanctioned, int New, DateTime LastSeen);
