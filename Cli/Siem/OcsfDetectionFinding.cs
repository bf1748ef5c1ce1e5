using System.Text.Json;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// A finding as one OCSF 1.x Detection Finding event (class_uid 2004, category Findings), written as one line of JSON.
/// The field mapping is documented in docs/siem.md; keep the two in step.
/// </summary>
internal static class OcsfDetectionFinding
{
    /// <summary>What triage says about a finding: its status and who owns it.</summary>
    public sealed record FindingTriage(TriageStatus Status, string? Owner);

    public const int ClassUid = 2004;
    public const int CategoryUid = 2;
    public const int ActivityCreate = 1;
    /// <summary>Sent by the cursor-driven export when a finding it already delivered has changed.</summary>
    public const int ActivityUpdate = 2;
    /// <summary>Sent by the cursor-driven export when a finding it delivered is no longer in the store.</summary>
    public const int ActivityClose = 3;
    private const string UidPrefix = "shadowmcp:finding:";

    /// <summary>
    /// The finding a delivered uid named is gone from the store (no capture contributes to it any more): all that is
    /// left to say is its uid, so the SIEM can close the finding it holds.
    /// </summary>
    public static void WriteClosed(Utf8JsonWriter w, string uid, DateTimeOffset now)
    {
        var key = uid.StartsWith(UidPrefix, StringComparison.Ordinal) ? uid[UidPrefix.Length..] : uid;
        w.WriteStartObject();
        Ocsf.WriteClassification(w, ClassUid, "Detection Finding", CategoryUid, "Findings", ActivityClose, "Close");
        w.WriteNumber("time", now.ToUnixTimeMilliseconds());
        Ocsf.WriteSeverity(w, 1);
        w.WriteNumber("status_id", 99);
        w.WriteString("status", "Removed from store");
        w.WriteString("message", $"MCP server at {key}: no longer in the store");
        Ocsf.WriteMetadata(w, uid, "findings");
        w.WriteStartObject("finding_info");
        w.WriteString("uid", uid);
        w.WriteString("title", $"MCP server at {key}");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// OCSF finding status from the triage status: new → 1 New, under review and blocked (a decision to act) → 2 In
    /// Progress, false positive → 3 Suppressed, approved (now sanctioned) → 4 Resolved.
    /// </summary>
    public static (int Id, string Name) Status(TriageStatus triage) => triage switch
    {
        TriageStatus.UnderReview or TriageStatus.Blocked => (2, "In Progress"),
        TriageStatus.FalsePositive => (3, "Suppressed"),
        TriageStatus.Approved => (4, "Resolved"),
        _ => (1, "New"),
    };

    /// <param name="triage">The finding's triage state (status and owner); null for a finding nobody triaged.</param>
    public static void Write(Utf8JsonWriter w, Finding f, DateTimeOffset now, int activityId = ActivityCreate, FindingTriage? triage = null)
    {
        var severity = SeverityId(f);
        w.WriteStartObject();
        Ocsf.WriteClassification(w, ClassUid, "Detection Finding", CategoryUid, "Findings", activityId,
            activityId == ActivityUpdate ? "Update" : "Create");
        w.WriteNumber("time", now.ToUnixTimeMilliseconds());
        Ocsf.WriteSeverity(w, severity);
        var (statusId, status) = Status(triage?.Status ?? TriageStatus.New);
        w.WriteNumber("status_id", statusId);
        w.WriteString("status", status);
        w.WriteBoolean("is_alert", f.Verdict == Verdict.Shadow && triage?.Status is not (TriageStatus.FalsePositive or TriageStatus.Approved));
        var (confidenceId, confidence) = f.Confidence switch { < 0.5 => (1, "Low"), < 0.8 => (2, "Medium"), _ => (3, "High") };
        w.WriteNumber("confidence_id", confidenceId);
        w.WriteString("confidence", confidence);
        w.WriteNumber("confidence_score", (int)Math.Round(f.Confidence * 100));
        w.WriteNumber("start_time", Millis(f.FirstSeen));
        w.WriteNumber("end_time", Millis(f.LastSeen));
        w.WriteString("message", Title(f));
        Ocsf.WriteMetadata(w, Uid(f), "findings");

        w.WriteStartObject("finding_info");
        w.WriteString("uid", Uid(f));
        w.WriteString("title", Title(f));
        if (f.VerdictReason is { } reason) w.WriteString("desc", reason);
        w.WriteNumber("first_seen_time", Millis(f.FirstSeen));
        w.WriteNumber("last_seen_time", Millis(f.LastSeen));
        w.WriteStartArray("types");
        w.WriteStringValue("MCP server");
        w.WriteStringValue(f.Verdict.ToWire());
        w.WriteEndArray();
        if (f.Evidence.OrderByDescending(e => e.Weight).FirstOrDefault() is { } top) WriteAnalytic(w, "analytic", top);
        w.WriteStartArray("related_analytics");
        foreach (var e in f.Evidence) WriteAnalytic(w, null, e);
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartArray("resources");
        w.WriteStartObject();
        w.WriteString("uid", f.Endpoint.Key);
        w.WriteString("name", f.Endpoint.Host ?? f.Endpoint.Key);
        w.WriteString("type", "MCP server");
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartArray("evidences");
        foreach (var e in f.Evidence)
        {
            w.WriteStartObject();
            WriteDestination(w, f.Endpoint);
            w.WriteStartObject("data");
            w.WriteString("rule", e.Rule);
            w.WriteString("detail", e.Detail);
            w.WriteNumber("count", e.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartObject("unmapped");
        w.WriteString("verdict", f.Verdict.ToWire());
        w.WriteString("triage_status", (triage?.Status ?? TriageStatus.New).ToWire());
        if (triage?.Owner is { Length: > 0 } owner) w.WriteString("triage_owner", owner);
        w.WriteString("transport", f.Transport);
        w.WriteNumber("flows", f.Flows);
        Strings(w, "hosts", f.Hosts);
        Strings(w, "clients", f.Clients);
        Strings(w, "client_apps", f.ClientApps);
        Strings(w, "protocol_versions", f.ProtocolVersions);
        Strings(w, "tools", f.Tools);
        if (f.Server is { } server)
        {
            w.WriteString("server_name", server.Name);
            if (server.Version is { } version) w.WriteString("server_version", version);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Stable across exports, so a SIEM can update one finding instead of adding a new one.</summary>
    public static string Uid(Finding f) => UidPrefix + f.Endpoint.Key;

    /// <summary>
    /// OCSF severity_id (1 Informational … 5 Critical): a shadow server takes its strongest rule's level; a suspected
    /// one is at most Low; a sanctioned one is Informational.
    /// </summary>
    public static int SeverityId(Finding f) => f.Verdict switch
    {
        Verdict.Sanctioned => 1,
        Verdict.Suspected => Math.Min(2, MaxLevel(f)),
        _ => MaxLevel(f),
    };

    private static int MaxLevel(Finding f) => f.Evidence.Count == 0 ? 3 : f.Evidence.Max(e => e.Level switch
    {
        "informational" => 1,
        "low" => 2,
        "high" => 4,
        "critical" => 5,
        _ => 3,
    });

    private static string Title(Finding f) => $"{Capitalized(f.Verdict.ToWire())} MCP server at {f.Endpoint}";

    private static string Capitalized(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static long Millis(DateTime utc) => Ocsf.Millis(utc);

    private static void WriteAnalytic(Utf8JsonWriter w, string? name, Evidence e)
    {
        if (name is null) w.WriteStartObject();
        else w.WriteStartObject(name);
        w.WriteString("uid", e.Rule);
        w.WriteString("name", e.Title.Length > 0 ? e.Title : e.Rule);
        w.WriteNumber("type_id", 1);
        w.WriteString("type", "Rule");
        w.WriteEndObject();
    }

    private static void WriteDestination(Utf8JsonWriter w, Endpoint endpoint)
    {
        w.WriteStartObject("dst_endpoint");
        if (endpoint.Address is { } ip) w.WriteString("ip", ip);
        if (endpoint.Port is { } port) w.WriteNumber("port", port);
        if (endpoint.Host is { } host) w.WriteString("hostname", host);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
