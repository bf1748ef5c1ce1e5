using System.Text.Json;
using ShadowMcp.Enforcer.Engine;
using EnforceCommands = ShadowMcp.Enforcer.Engine.Commands;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// One Enforcer action-log row (apply, rollback or expire on one backend) as an OCSF 1.3 Network Remediation
/// Activity (class_uid 7004, category Remediation): blocking an MCP server's names and addresses is D3FEND's
/// Isolate tactic (outbound traffic filtering, DNS denylisting); a rollback or an expiry restores. The mapping is in
/// docs/siem.md; keep the two in step.
/// </summary>
internal static class OcsfNetworkRemediationActivity
{
    public const int ClassUid = 7004;
    public const int CategoryUid = 7;
    public const int ActivityIsolate = 1;
    public const int ActivityRestore = 3;

    public static string Uid(ActionRow a) => "shadowmcp:action:" + a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Failed actions are worth a look (Medium); the rest are informational.</summary>
    public static int SeverityId(ActionRow a) => a.Result == ActionResults.Failed ? 3 : 1;

    public static void Write(Utf8JsonWriter w, ActionRow a)
    {
        var isolate = a.Command == EnforceCommands.Apply;
        var activity = isolate ? ActivityIsolate : ActivityRestore;
        w.WriteStartObject();
        Ocsf.WriteClassification(w, ClassUid, "Network Remediation Activity", CategoryUid, "Remediation", activity, isolate ? "Isolate" : "Restore");
        w.WriteNumber("time", Ocsf.Millis(a.At));
        Ocsf.WriteSeverity(w, SeverityId(a));
        var (statusId, status) = a.Result switch
        {
            ActionResults.Ok => (1, "Success"),
            ActionResults.Failed => (2, "Failure"),
            _ => (99, "Pending"),
        };
        w.WriteNumber("status_id", statusId);
        w.WriteString("status", status);
        if (a.Error is { } error) w.WriteString("status_detail", error);
        var added = Count(a.AddedJson);
        var removed = Count(a.RemovedJson);
        w.WriteString("message", $"{a.Command} on {a.Backend}: {added} added, {removed} removed ({a.Result})");
        w.WriteString("command_uid", a.RunId);
        Ocsf.WriteMetadata(w, Uid(a), "enforcer-actions");

        w.WriteStartObject("actor");
        w.WriteStartObject("user");
        w.WriteString("name", a.Actor);
        w.WriteEndObject();
        w.WriteEndObject();

        // Required by the class: the blocks act on outbound connections to the MCP server.
        w.WriteStartObject("connection_info");
        w.WriteNumber("direction_id", 2);
        w.WriteString("direction", "Outbound");
        w.WriteEndObject();

        w.WriteStartArray("countermeasures");
        w.WriteStartObject();
        w.WriteStartObject("d3f_tactic");
        w.WriteString("name", isolate ? "Isolate" : "Restore");
        w.WriteEndObject();
        w.WriteStartObject("d3f_technique");
        // One technique for every backend: the action log names a configured backend, not its type, and DNS,
        // firewall and proxy blocks all filter the client's outbound traffic to the server.
        w.WriteString("uid", "D3-OTF");
        w.WriteString("name", "Outbound Traffic Filtering");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartObject("unmapped");
        w.WriteNumber("action_id", a.Id);
        w.WriteString("command", a.Command);
        w.WriteString("backend", a.Backend);
        w.WriteString("result", a.Result);
        w.WritePropertyName("added");
        WriteJsonOrEmpty(w, a.AddedJson);
        w.WritePropertyName("removed");
        WriteJsonOrEmpty(w, a.RemovedJson);
        w.WriteBoolean("state_known", a.StateKnown);
        if (a.RollsBackTo is { } to) w.WriteNumber("rolls_back_to", to);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static int Count(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.GetArrayLength() : 0;
        }
        catch (JsonException) { return 0; }
    }

    // The entries are the Enforcer's own JSON; a row that is not valid JSON must not break the event.
    private static void WriteJsonOrEmpty(Utf8JsonWriter w, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            doc.RootElement.WriteTo(w);
        }
        catch (JsonException)
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }
    }
}
