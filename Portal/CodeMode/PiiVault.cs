using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Dlp;
using ShadowMcp.Portal.Gateway;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// PII tokenization for one execution. Values the DLP detectors find in a tokenizing server's results become
/// stable tokens ([EMAIL_1], [CARD_1]) before the script sees them; a token in arguments is put back only for a
/// server whose DLP lets raw data of that kind through (argument action log or off), else the call is refused.
/// </summary>
internal sealed partial class PiiVault
{
    private readonly Dictionary<string, string> _tokenByValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Value, string Detector)> _valueByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public static string Label(string detector) => detector switch
    {
        "card-number" => "CARD",
        "us-ssn" => "SSN",
        _ => detector.ToUpperInvariant().Replace('-', '_'),
    };

    public CallToolResult Tokenize(CallToolResult result)
    {
        var node = JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions);
        Walk(node);
        return node.Deserialize<CallToolResult>(McpJsonUtilities.DefaultOptions)!;
    }

    public string TokenizeText(string text)
    {
        foreach (var detector in DlpDetectors.All)
        {
            var matches = detector.Find(text).ToList();
            if (matches.Count == 0) continue;
            var sb = new StringBuilder(text.Length);
            var last = 0;
            foreach (var m in matches)
            {
                sb.Append(text, last, m.Index - last).Append(TokenFor(m.Value, detector.Name));
                last = m.Index + m.Length;
            }
            text = sb.Append(text, last, text.Length - last).ToString();
        }
        return text;
    }

    /// <returns>The arguments with real values back in place, or null and <paramref name="refused"/> set.</returns>
    public IDictionary<string, JsonElement>? Restore(IDictionary<string, JsonElement> args, UpstreamConfig? target, out string? refused)
    {
        refused = null;
        lock (_gate) if (_valueByToken.Count == 0) return args;
        var json = JsonSerializer.Serialize(args);
        var found = TokenPattern().Matches(json).Select(m => m.Value).Where(t => { lock (_gate) return _valueByToken.ContainsKey(t); }).Distinct().ToList();
        if (found.Count == 0) return args;
        var mayReceive = target is not null && DlpGuard.Parse(target.Dlp.Arguments) is DlpAction.Log or DlpAction.Off;
        if (!mayReceive)
        {
            refused = $"Blocked by portal DLP: {string.Join(", ", found)} may not be sent to server '{target?.Id ?? "?"}'";
            return null;
        }
        var node = JsonNode.Parse(json);
        RestoreWalk(node);
        return node!.AsObject().ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value), StringComparer.Ordinal);
    }

    private string TokenFor(string value, string detector)
    {
        lock (_gate)
        {
            if (_tokenByValue.TryGetValue(value, out var token)) return token;
            var label = Label(detector);
            var n = _counters[label] = _counters.GetValueOrDefault(label) + 1;
            token = $"[{label}_{n}]";
            _tokenByValue[value] = token;
            _valueByToken[token] = (value, detector);
            return token;
        }
    }

    private string Untokenize(string text) => TokenPattern().Replace(text, m =>
    {
        lock (_gate) return _valueByToken.TryGetValue(m.Value, out var v) ? v.Value : m.Value;
    });

    private void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                    if (child is JsonValue v && v.TryGetValue<string>(out var s)) obj[key] = TokenizeText(s);
                    else Walk(child);
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                    if (arr[i] is JsonValue v && v.TryGetValue<string>(out var s)) arr[i] = TokenizeText(s);
                    else Walk(arr[i]);
                break;
        }
    }

    private void RestoreWalk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                    if (child is JsonValue v && v.TryGetValue<string>(out var s)) obj[key] = Untokenize(s);
                    else RestoreWalk(child);
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                    if (arr[i] is JsonValue v && v.TryGetValue<string>(out var s)) arr[i] = Untokenize(s);
                    else RestoreWalk(arr[i]);
                break;
        }
    }

    [GeneratedRegex(@"\[[A-Z][A-Z0-9_]*_[0-9]+\]")]
    private static partial Regex TokenPattern();
}
