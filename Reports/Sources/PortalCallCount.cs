namespace ShadowMcp.Reports.Sources;

public sealed record PortalCallCount(string Server, string Group, long Calls);
