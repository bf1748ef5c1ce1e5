using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// Makes an OCSF event fit a syslog receiver's message limit. A receiver cuts a longer message, and with octet
/// counting reads the rest of the frame as a message of its own (rsyslog does unless <c>discardTruncatedMsg</c> is
/// on): finding strings come from the wire, so that rest would be attacker text posing as a syslog line of any
/// host and app. So no message is ever longer than the limit: the event's strings are cut and its long arrays
/// shortened, each round harder, until it fits; an event that still does not fit keeps its numbers and a note.
/// The result is always whole JSON.
/// </summary>
internal static class SyslogFit
{
    private const string Cut = "...";

    public static byte[] Shrink(byte[] json, int maxBytes)
    {
        if (json.Length <= maxBytes) return json;
        var root = JsonNode.Parse(json);
        if (root is JsonObject) // Every OCSF event is an object; anything else is left to the fallback.
        {
            for (var limit = 2048; limit >= 8; limit /= 2)
            {
                root = Trim(root, limit);
                var bytes = Bytes(root);
                if (bytes.Length <= maxBytes) return bytes;
            }
        }
        return Fallback(root, json.Length, maxBytes);
    }

    // A new tree: strings longer than the limit cut, arrays past limit/16 items ended with a count of the rest.
    private static JsonNode? Trim(JsonNode? node, int limit)
    {
        switch (node)
        {
            case JsonObject o:
            {
                var result = new JsonObject();
                foreach (var (name, value) in o) result[name] = Trim(value, limit);
                return result;
            }
            case JsonArray a:
            {
                var keep = Math.Max(1, limit / 16);
                var result = new JsonArray();
                foreach (var x in a.Take(keep)) result.Add(Trim(x, limit));
                if (a.Count > keep) result.Add($"(+{a.Count - keep} more)");
                return result;
            }
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } s && s.Length > limit:
                return JsonValue.Create(s[..CutAt(s, limit)] + Cut);
            default:
                return node?.DeepClone();
        }
    }

    // Never between the halves of a surrogate pair.
    private static int CutAt(string s, int limit) => char.IsHighSurrogate(s[limit - 1]) ? limit - 1 : limit;

    // The numbers that identify and rank the event (class, category, activity, severity, time), and why the rest is gone.
    private static byte[] Fallback(JsonNode? root, int length, int maxBytes)
    {
        var small = new JsonObject();
        if (root is JsonObject o)
            foreach (var (name, value) in o)
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number) small[name] = v.DeepClone();
        small["message"] = $"event of {length} bytes cut to fit the syslog message limit of {maxBytes} bytes; the JSON lines and HEC sinks carry it whole";
        var bytes = Bytes(small);
        return bytes.Length <= maxBytes ? bytes : "{}"u8.ToArray();
    }

    private static byte[] Bytes(JsonNode? node) => JsonSerializer.SerializeToUtf8Bytes(node);
}
