namespace ShadowMcp.Admin.Findings;

/// <summary>One server name or one client with the endpoints it covers, counted per verdict.</summary>
internal sealed record FindingGroup(string Key, int Endpoints, long Flows, int Shadow, int Suspected, int Sanctioned, int New, DateTime LastSeen);

/// <summary>The groups shown (the most shadow endpoints first, capped) and how many there are in all.</summary>
internal sealed record FindingGroupResult(IReadOnlyList<FindingGroup> Groups, int TotalGroups);
