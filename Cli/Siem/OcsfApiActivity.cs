using System.Text.Json;
using ShadowMcp.Portal.Reading;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// One portal audit row (a request through the MCP portal) as an OCSF 1.3 API Activity (class_uid 6003, category
/// Application Activity): the MCP method is the API operation, the upstream server the service, the caller the
/// actor. Arguments are never sent, only their size and hash; the chain hashes are, so a SIEM can check the chain.
/// The mapping is in docs/siem.md; keep the two in step.
/// </summary>
internal static class OcsfApiActivity
{
    public const int ClassUid = 6003;
    public const int CategoryUid = 6;
    public const int ActivityRead = 2;
    public const int ActivityOther = 99;

    private static readonly HashSet<string> ReadMethods = new(StringComparer.Ordinal)
    {
        "tools/list", "resources/list", "resources/templates/list", "resources/read", "prompts/list", "prompts/get",
    };

    /// <summary>Outcomes that mean the call did what was asked (including an elicitation's answer, whatever it was).</summary>
    private static readonly HashSet<string> SuccessOutcomes = new(StringComparer.Ordinal) { "ok", "accept", "decline", "cancel" };

    /// <summary>Refusals by policy or DLP and unauthenticated callers are Medium; other failures Low; the rest informational.</summary>
    public static int SeverityId(PortalAuditEvent e) => e.Outcome switch
    {
        _ when SuccessOutcomes.Contains(e.Outcome) => 1,
        "denied" or "dlp-blocked" or "unauthenticated" => 3,
        _ => 2,
    };

    public static string Uid(PortalAuditEvent e) => "shadowmcp:audit:" + e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static void Write(Utf8JsonWriter w, PortalAuditEvent e)
    {
        var read = ReadMethods.Contains(e.Method);
        w.WriteStartObject();
        Ocsf.WriteClassification(w, ClassUid, "API Activity", CategoryUid, "Application Activity",
            read ? ActivityRead : ActivityOther, read ? "Read" : e.Method);
        w.WriteNumber("time", e.Time.ToUnixTimeMilliseconds());
        w.WriteNumber("duration", (long)Math.Round(e.DurationMs));
        Ocsf.WriteSeverity(w, SeverityId(e));
        var success = SuccessOutcomes.Contains(e.Outcome);
        w.WriteNumber("status_id", success ? 1 : 2);
        w.WriteString("status", success ? "Success" : "Failure");
        w.WriteString("status_code", e.Outcome);
        w.WriteString("status_detail", e.Decision);
        w.WriteString("message", $"{e.User} {e.Method}{(e.Server is null ? "" : " " + e.Server)}{(e.Tool is null ? "" : " " + e.Tool)}: {e.Outcome}");
        Ocsf.WriteMetadata(w, Uid(e), "portal-audit", e.Seq);

        w.WriteStartObject("actor");
        w.WriteStartObject("user");
        w.WriteString("name", e.User);
        if (e.Group.Length > 0)
        {
            w.WriteStartArray("groups");
            w.WriteStartObject();
            w.WriteString("name", e.Group);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
        if (e.ClientName is { } app) w.WriteString("app_name", e.ClientVersion is { } v ? $"{app} {v}" : app);
        w.WriteEndObject();

        w.WriteStartObject("api");
        w.WriteString("operation", e.Method);
        w.WriteStartObject("service");
        w.WriteString("name", e.Server ?? "portal");
        w.WriteEndObject();
        w.WriteEndObject();

        // Required by the class. The audit row keeps the caller's identity, not its address: the endpoint is named
        // after the MCP client (clientInfo.name), or the user when the client gave none.
        w.WriteStartObject("src_endpoint");
        w.WriteString("name", e.ClientName ?? e.User);
        w.WriteEndObject();
        if (e.Server is { } server)
        {
            w.WriteStartObject("dst_endpoint");
            w.WriteString("svc_name", server);
            w.WriteEndObject();
        }
        if (e.Tool is { } tool)
        {
            w.WriteStartArray("resources");
            w.WriteStartObject();
            w.WriteString("uid", e.Server is null ? tool : $"{e.Server}/{tool}");
            w.WriteString("name", tool);
            w.WriteString("type", "MCP tool");
            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteStartObject("unmapped");
        w.WriteNumber("seq", e.Seq);
        w.WriteString("group", e.Group);
        w.WriteString("outcome", e.Outcome);
        w.WriteString("decision", e.Decision);
        if (e.DlpHits is { } dlp) w.WriteString("dlp_hits", dlp);
        w.WriteNumber("argument_bytes", e.ArgumentBytes);
        if (e.ArgumentHash is { } argumentHash) w.WriteString("argument_hash", argumentHash);
        if (e.ExecutionId is { } execution) w.WriteString("execution_id", execution);
        w.WriteString("prev_hash", e.PrevHash);
        w.WriteString("hash", e.Hash);
        if (e.HashKind is { } kind) w.WriteString("hash_kind", kind);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
