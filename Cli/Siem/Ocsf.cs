using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;

namespace ShadowMcp.Cli.Siem;

/// <summary>What every OCSF event ShadowMcp writes shares: the schema version, the product, severity names.</summary>
internal static class Ocsf
{
    public const string SchemaVersion = "1.3.0";

    private static readonly string ProductVersion =
        typeof(Ocsf).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public static readonly string[] SeverityNames = ["Unknown", "Informational", "Low", "Medium", "High", "Critical"];

    /// <summary>class, category, activity and type_uid (class_uid × 100 + activity_id), as the base event requires.</summary>
    public static void WriteClassification(Utf8JsonWriter w, int classUid, string className, int categoryUid, string categoryName, int activityId, string activityName)
    {
        w.WriteNumber("class_uid", classUid);
        w.WriteString("class_name", className);
        w.WriteNumber("category_uid", categoryUid);
        w.WriteString("category_name", categoryName);
        w.WriteNumber("activity_id", activityId);
        w.WriteString("activity_name", activityName);
        w.WriteNumber("type_uid", classUid * 100L + activityId);
        w.WriteString("type_name", $"{className}: {activityName}");
    }

    public static void WriteSeverity(Utf8JsonWriter w, int severityId)
    {
        w.WriteNumber("severity_id", severityId);
        w.WriteString("severity", SeverityNames[severityId]);
    }

    /// <summary>The metadata object: schema version, event uid, log name and the product.</summary>
    public static void WriteMetadata(Utf8JsonWriter w, string uid, string logName, long? sequence = null)
    {
        w.WriteStartObject("metadata");
        w.WriteString("version", SchemaVersion);
        w.WriteString("uid", uid);
        w.WriteString("log_name", logName);
        if (sequence is { } seq) w.WriteNumber("sequence", seq);
        w.WriteStartObject("product");
        w.WriteString("name", "ShadowMcp");
        w.WriteString("vendor_name", "ShadowMcp");
        w.WriteString("version", ProductVersion);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static long Millis(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    /// <summary>Writes one event with <paramref name="write"/> and returns its compact UTF-8 JSON.</summary>
    public static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A short content hash (first 16 bytes of SHA-256, hex) for the cursor's change detection.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> json) => Convert.ToHexStringLower(SHA256.HashData(json)[..16]);
}
