namespace ShadowMcp.Reports.Model;

/// <summary>One ISO week of the 8-week trend.</summary>
public sealed record TrendWeek(string Week, int ActiveShadow, int NewShadow, int Suspected, int Sanctioned, long ShadowFlows);
