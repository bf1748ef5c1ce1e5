using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// PII tokenization for one execution. Values the DLP detectors find in a tokenizing server's results become
/// stable tokens ([EMAIL_1], [CARD_1]) before the script sees them; a token in arguments is put back only for a
/// server listed in `restoreTo`, else the call is refused. A raw value the vault knows is tokenized again in any
/// result, so a server that echoes what it received cannot hand it to the script.
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

    /// <summary>Trie steps <see cref="Retokenize"/> took so far (a work count for tests).</summary>
    internal long Comparisons { get; private set; }

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

    /// <summary>
    /// Known raw values in <paramref name="text"/> replaced by their tokens: one pass from left to right, the
    /// longest known value at each position, found by walking a trie of the values. Before, every text was tried
    /// against every known value (`Contains` per value), so the portal's work per result grew with the result
    /// times the vault: 8,000 contacts from a tokenizing server made each later result of that size cost 1.2 s.
    /// </summary>
    public string Retokenize(string text)
    {
        lock (_gate)
        {
            if (_tokenByValue.Count == 0) return text;
            StringBuilder? sb = null;
            var copied = 0;
            for (var i = 0; i < text.Length;)
            {
                var (length, token) = LongestKnownAt(text, i);
                if (token is null) { i++; continue; }
                (sb ??= new StringBuilder(text.Length)).Append(text, copied, i - copied).Append(token);
                i += length;
                copied = i;
            }
            return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
        }
    }

    private (int Length, string? Token) LongestKnownAt(string text, int start)
    {
        var node = _known;
        (int, string?) best = (0, null);
        for (var j = start; j < text.Length && node.Child(text[j]) is { } next; j++)
        {
            Comparisons++;
            node = next;
            if (node.Token is not null) best = (j - start + 1, node.Token);
        }
        return best;
    }

    // The known raw values, one character a level; a node that ends a value holds its token.
    private readonly TrieNode _known = new();

    /// <summary>A trie node; most have one child, kept inline (a dictionary only where values branch).</summary>
    private sealed class TrieNode
    {
        private char _key;
        private TrieNode? _only;
        private Dictionary<char, TrieNode>? _many;
        public string? Token;

        public TrieNode? Child(char c) =>
            _only is not null ? (_key == c ? _only : null) : _many is not null && _many.TryGetValue(c, out var child) ? child : null;

        public TrieNode Add(char c)
        {
            if (Child(c) is { } existing) return existing;
            var node = new TrieNode();
            if (_only is null && _many is null) { _key = c; _only = node; return node; }
            if (_only is not null) { _many = new Dictionary<char, TrieNode> { [_key] = _only }; _only = null; }
            _many![c] = node;
            return node;
        }
    }

    private void Remember(string value, string token)
    {
        var node = _known;
        foreach (var c in value) node = node.Add(c);
        node.Token = token;
    }

    /// <returns>The arguments with real values back in place, or null and <paramref name="refused"/> set.</returns>
    public IDictionary<string, JsonElement>? Restore(IDictionary<string, JsonElement> args, string? server, IReadOnlyList<string> restoreTo, out string? refused)
    {
        refused = null;
        lock (_gate) if (_valueByToken.Count == 0) return args;
        var json = JsonSerializer.Serialize(args);
        var found = TokenPattern().Matches(json).Select(m => m.Value).Where(t => { lock (_gate) return _valueByToken.ContainsKey(t); }).Distinct().ToList();
        if (found.Count == 0) return args;
        if (server is null || !restoreTo.Contains(server, StringComparer.Ordinal))
        {
            refused = $"Blocked by portal DLP: {string.Join(", ", found)} may not be sent to server '{server ?? "?"}' (not in codeMode.restoreTo)";
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
            Remember(value, token);
            _valueByToken[token] = (value, detector);
            return token;
        }
    }

    private string Untokenize(string text) => TokenPattern().Replace(text, m =>
    {
        lock (_gate) return _valueByToken.TryGetValue(m.Value, out var v) ? v.Value : m.Value;
    });

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
