namespace ShadowMcp.Reports.Model;

public sealed record GoneServer(string Endpoint, string? ServerName, DateTime LastSeen);
