namespace ShadowMcp.Reports.Model;

public sealed record EvidenceEntry(string Rule, string Title, string Level, string Detail, int Count, DateTime FirstSeen, DateTime LastSeen, string? Example);
