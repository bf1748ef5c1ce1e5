namespace ShadowMcp.Admin.Findings;

/// <summary>
/// One finding as the CSV export writes it; hosts and clients are the store's JSON lists, the triage status is its
/// wire form (null when nobody triaged it: "new").
/// </summary>
internal sealed record FindingExportRow(
    string EndpointKey, string? Host, string Verdict, string? ServerName, string? ServerVersion, string Transport, double Confidence,
    int Flows, int Rules, DateTime FirstSeen, DateTime LastSeen, bool IsNew, string HostsJson, string ClientsJson,
    string? TriageStatus = null, string? Owner = null);
