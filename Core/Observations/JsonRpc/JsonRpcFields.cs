using System.Text;
using System.Text.Json;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Observations.JsonRpc;

/// <summary>
/// Reads JSON-RPC 2.0 messages (one object or a batch array) from a bounded byte prefix with
/// <see cref="Utf8JsonReader"/> and gives the <c>jsonrpc.*</c> fields of docs/observations.md. Invalid or truncated
/// JSON yields the messages completed before the fault. Recursion is bounded by the flattening depth; deeper values
/// are skipped by the reader itself.
/// Why in Core: the Scanner (messages on the wire) and the Classifier (rule examples) must give a message the very
/// same fields, so both read it here.
/// </summary>
public static class JsonRpcFields
{
    // Deep enough for any real message, low enough that hostile nesting is refused quickly.
    private const int ReaderMaxDepth = 256;

    /// <summary>Adds the JSON-RPC messages found in <paramref name="json"/>; returns false when the JSON was invalid or cut.</summary>
    public static bool Extract(ReadOnlySpan<byte> json, JsonRpcLimits limits, List<JsonRpcMessage> output)
    {
        var heads = new List<JsonRpcHead>();
        var members = Scratch();
        bool whole = Extract(json, limits, heads, members);
        foreach (var head in heads) output.Add(ToMessage(head, members));
        members.Clear();
        return whole;
    }

    /// <summary>
    /// Adds the JSON-RPC messages found in <paramref name="json"/> to <paramref name="output"/> and their members to
    /// <paramref name="members"/> (after what it holds); returns false when the JSON was invalid or cut. The packet
    /// path's form: one reused bag for every message's members, no bag or message object per message.
    /// </summary>
    public static bool Extract(ReadOnlySpan<byte> json, JsonRpcLimits limits, List<JsonRpcHead> output, FieldBag members)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ReaderMaxDepth });
        try
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (ReadMessage(ref reader, batch: false, limits, members) is { } single) output.Add(single);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                    if (ReadMessage(ref reader, batch: true, limits, members) is { } element) output.Add(element);
                }
            }
            return true;
        }
        catch (Exception ex) when (IsReaderFault(ex))
        {
            // Truncated prefix or hostile input: what was complete is already in output. The members of the
            // message cut short are dropped with it.
            members.Truncate(output.Count == 0 ? 0 : output[^1].MembersStart + output[^1].MembersCount);
            return false;
        }
    }

    /// <summary>
    /// Reads one message written out whole (a rule example) exactly as <see cref="Extract"/> reads it on the wire.
    /// Returns false with an error for text that is not valid JSON, not a single object, or followed by more text;
    /// returns true with a null message when it is JSON but the Scanner would emit nothing for it (not JSON-RPC 2.0,
    /// or neither method nor result nor error).
    /// </summary>
    public static bool TryReadOne(ReadOnlySpan<byte> json, JsonRpcLimits limits, out JsonRpcMessage? message, out string? error)
    {
        message = null;
        error = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ReaderMaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "a JSON-RPC example must be one JSON object (give batch elements one by one)";
                return false;
            }
            var members = Scratch();
            var head = ReadMessage(ref reader, batch: false, limits, members);
            message = head is { } h ? ToMessage(h, members) : null;
            members.Clear();
            // Nothing but whitespace may follow: the reader throws on a second value.
            if (reader.Read()) throw new JsonException("text after the JSON object");
            return true;
        }
        catch (Exception ex) when (IsReaderFault(ex))
        {
            message = null;
            error = $"not valid JSON: {ex.Message}";
            return false;
        }
    }

    /// <summary>
    /// Adds the fields the message itself gives, in the Scanner's order: <c>jsonrpc</c>, <c>method</c>, <c>id</c>,
    /// then the <c>params</c>/<c>result</c>/<c>error</c> members. Carrier fields (<c>http.*</c>, <c>batch</c>, ...) are the caller's.
    /// </summary>
    public static FieldBag AddTo(FieldBag fields, JsonRpcMessage message)
    {
        fields.Add("jsonrpc", "2.0").AddIfPresent("method", message.Method).AddIfPresent("id", message.Id);
        fields.AddRange(message.Members.AsSpan());
        return fields;
    }

    /// <summary>The same fields as <see cref="AddTo(FieldBag, JsonRpcMessage)"/>, for a message read into a members bag.</summary>
    public static FieldBag AddTo(FieldBag fields, in JsonRpcHead message, FieldBag members)
    {
        fields.Add("jsonrpc", "2.0").AddIfPresent("method", message.Method).AddIfPresent("id", message.Id);
        fields.AddRange(message.Members(members));
        return fields;
    }

    [ThreadStatic] private static FieldBag? t_members;

    // Members are flattened into a per-thread scratch bag and then kept at their exact size: growing each message's own
    // bag by doubling allocated about three times the fields it kept.
    private static FieldBag Scratch()
    {
        var members = t_members ??= new FieldBag(64);
        members.Clear();
        return members;
    }

    private static JsonRpcMessage ToMessage(in JsonRpcHead head, FieldBag members) => new()
    {
        Kind = head.Kind, Method = head.Method, Id = head.Id, IdKey = head.IdKey, Batch = head.Batch,
        Members = new FieldBag(head.Members(members), 0),
    };

    /// <summary>Reads one message object, appending its members to <paramref name="members"/>; null (and nothing added) when it is not one.</summary>
    private static JsonRpcHead? ReadMessage(ref Utf8JsonReader reader, bool batch, JsonRpcLimits limits, FieldBag members)
    {
        string? version = null, method = null, id = null, idKey = null;
        bool hasResult = false, hasError = false;
        int start = members.Count;
        int budget = limits.MaxFields;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (NameIs(ref reader, "jsonrpc"u8))
            {
                reader.Read();
                version = reader.TokenType == JsonTokenType.String ? ReadString(ref reader, 16) : SkipValue(ref reader);
            }
            else if (NameIs(ref reader, "method"u8))
            {
                reader.Read();
                // Short method names come from the shared table, like other short values: a few dozen names, made once.
                method = reader.TokenType == JsonTokenType.String ? JsonFlattener.Value(ref reader, limits) : SkipValue(ref reader);
            }
            else if (NameIs(ref reader, "id"u8))
            {
                reader.Read();
                (id, idKey) = reader.TokenType switch
                {
                    JsonTokenType.String => ReadId(ref reader, "s:", limits),
                    JsonTokenType.Number => ReadId(ref reader, "n:", limits),
                    _ => (SkipValue(ref reader), null),
                };
            }
            else if (NameIs(ref reader, "params"u8)) { reader.Read(); JsonFlattener.Flatten(ref reader, "params", 0, members, ref budget, limits); }
            else if (NameIs(ref reader, "result"u8)) { reader.Read(); hasResult = true; JsonFlattener.Flatten(ref reader, "result", 0, members, ref budget, limits); }
            else if (NameIs(ref reader, "error"u8)) { reader.Read(); hasError = true; JsonFlattener.Flatten(ref reader, "error", 0, members, ref budget, limits); }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        string? kind = version != "2.0" ? null
            : method is not null ? (id is null ? ObservationKinds.JsonRpcNotification : ObservationKinds.JsonRpcRequest)
            : hasError ? ObservationKinds.JsonRpcError
            : hasResult ? ObservationKinds.JsonRpcResponse
            : null;
        if (kind is null)
        {
            members.Truncate(start);
            return null;
        }
        return new JsonRpcHead(kind, method, id, idKey, batch, start, members.Count - start);
    }

    private static (string?, string?) ReadId(ref Utf8JsonReader reader, string type, JsonRpcLimits limits)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.ValueSpan.Length <= Math.Min(SmallIdDigits, limits.MaxStringChars))
        {
            // Small numeric ids (clients count from 0 or 1 per session) come from the shared table: at most 1,000 of
            // them, each made once instead of twice per message.
            var small = StringCache.FromUtf8(reader.ValueSpan);
            return (small, StringCache.Concat(type, small));
        }
        string text = reader.TokenType == JsonTokenType.String
            ? ReadString(ref reader, limits.MaxStringChars)
            : NumberText(reader.ValueSpan, limits.MaxStringChars);
        return (text, type + text);
    }

    private const int SmallIdDigits = 3;

    /// <summary>The reader always reads one span here, so ValueSpan holds the whole token.</summary>
    internal static string ReadString(ref Utf8JsonReader reader, int maxChars) =>
        JsonStringText.Read(reader.ValueSpan, reader.ValueIsEscaped, maxChars);

    /// <summary>A number token's text, cut like a string so a megabyte of digits stays small.</summary>
    internal static string NumberText(ReadOnlySpan<byte> raw, int maxChars) =>
        Encoding.ASCII.GetString(raw.Length > maxChars ? raw[..maxChars] : raw);

    /// <summary>
    /// Compares a member name without asking the reader to unescape it: <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>
    /// throws on a lone surrogate escape (<c>"\ud800"</c>), which any peer can send. Escaped names are decoded by
    /// <see cref="JsonStringText"/>, which turns such an escape into U+FFFD.
    /// </summary>
    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.ValueIsEscaped) return reader.ValueSpan.SequenceEqual(name);
        // An escape takes at least two bytes per char, so a name that matches has at most six raw bytes per char.
        if (reader.ValueSpan.Length > name.Length * 6) return false;
        string text = JsonStringText.Read(reader.ValueSpan, escaped: true, name.Length + 1);
        if (text.Length != name.Length) return false;
        for (int i = 0; i < name.Length; i++)
            if (text[i] != name[i]) return false;
        return true;
    }

    /// <summary>
    /// Every way <see cref="Utf8JsonReader"/> or a decoder reports bad bytes: invalid or cut JSON (JsonException),
    /// a value it cannot convert (InvalidOperationException, FormatException), and decoder or argument faults from
    /// malformed text (ArgumentException covers DecoderFallbackException). Programming errors still surface elsewhere.
    /// </summary>
    private static bool IsReaderFault(Exception ex) =>
        ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException
            or IndexOutOfRangeException;

    private static string? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
