using ShadowMcp.Core.Reading;

namespace ShadowMcp.Admin.Findings;

/// <summary>The groups shown (the most shadow endpoints first, capped) and how many there are in all.</summary>
internal sealed record FindingGroupResult(IReadOnlyList<FindingGroup> Groups, int TotalGroups);
