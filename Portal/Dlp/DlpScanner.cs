using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// Runs every detector over every string, every number (as digits) and every property name in a JSON tree,
/// after folding look-alike characters, and over adjacent fields joined (<see cref="DlpJoin"/>). With redact
/// on, matches are replaced in place by "[REDACTED:{detector}]" (a matching property name is renamed; a field
/// holding part of a split secret is replaced whole). These entry points are shared with code mode.
/// </summary>
internal static class DlpScanner
{
    public static DlpScanResult Scan(JsonNode? node, bool redact)
    {
        var hits = new List<DlpHit>();
        if (node is JsonValue root)
        {
            // A bare scalar has no parent to write a redaction into: it is reported, and callers block on it.
            if (ScalarText(root) is { } text) AddHits(hits, DlpText.Find(text, ""), "$");
        }
        else Walk(node, "$", "", redact, hits);
        return new DlpScanResult(hits);
    }

    public static (string Text, List<DlpHit> Hits) ScanText(string text, string path, bool redact)
    {
        var matches = DlpText.Find(text, "");
        var hits = new List<DlpHit>();
        AddHits(hits, matches, path);
        return (redact ? DlpText.Redact(text, matches) : text, hits);
    }

    /// <summary>Every match in <paramref name="text"/>, in original coordinates (code mode tokenizes them).</summary>
    public static IReadOnlyList<DlpMatch> FindMatches(string text) => DlpText.Find(text, "");

    /// <summary>A string value's text, or a number's digits; null for anything else.</summary>
    public static string? ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => DlpText.NumberDigits(value.ToJsonString()),
        _ => null,
    };

    private static void AddHits(List<DlpHit> hits, IReadOnlyList<DlpMatch> matches, string path)
    {
        foreach (var m in matches) hits.Add(new DlpHit(m.Detector, path));
    }

    private sealed class Item(string text, string? key, int index)
    {
        public string Text { get; } = text;
        public string? Key { get; } = key;   // set: this item is a property name
        public int Index { get; } = index;   // the property's position or the array index
        public string? Replacement { get; set; }
    }

    /// <param name="container">The property name that holds <paramref name="node"/> (inherited through arrays): context
    /// for its values, as in {"aws": {"key": "…"}} or {"secrets": ["…"]}.</param>
    private static void Walk(JsonNode? node, string path, string container, bool redact, List<DlpHit> hits)
    {
        switch (node)
        {
            case JsonObject obj:
                WalkObject(obj, path, container, redact, hits);
                break;
            case JsonArray arr:
                WalkArray(arr, path, container, redact, hits);
                break;
        }
    }

    /// <summary>A value's context: its own property name and the one holding its object (see <see cref="DlpContext"/>).</summary>
    internal static string Field(string container, string key) => container.Length == 0 ? key : container + " " + key;

    private static void WalkObject(JsonObject obj, string path, string container, bool redact, List<DlpHit> hits)
    {
        var pairs = obj.ToList();
        var items = new List<Item>();
        var keys = new List<Item>();
        var values = new Dictionary<int, Item>();
        for (var i = 0; i < pairs.Count; i++)
        {
            var (key, child) = pairs[i];
            var childPath = $"{path}.{key}";
            var keyItem = new Item(key, key, i);
            keys.Add(keyItem);
            var keyMatches = DlpText.Find(key, "");
            AddHits(hits, keyMatches, childPath + "(name)");
            if (keyMatches.Count > 0) keyItem.Replacement = "[REDACTED:" + keyMatches[0].Detector + "]";
            if (child is JsonValue v && ScalarText(v) is { } text)
            {
                var item = new Item(text, null, i);
                if (v.GetValueKind() == JsonValueKind.String) items.Add(item);
                values[i] = item;
                var matches = DlpText.Find(text, Field(container, key));
                AddHits(hits, matches, childPath);
                if (matches.Count > 0) item.Replacement = DlpText.Redact(text, matches);
            }
            else Walk(child, childPath, key, redact, hits);
        }
        Joined(items, path, hits);
        if (!redact) return;
        var renamed = keys.Any(it => it.Replacement is not null);
        foreach (var (i, item) in values)
            if (item.Replacement is { } replacement) obj[pairs[i].Key] = JsonValue.Create(replacement);
        if (!renamed) return;
        // Rebuild in order so a renamed property keeps its place; equal new names get a counter.
        var rebuilt = obj.ToList();
        obj.Clear();
        for (var i = 0; i < rebuilt.Count; i++)
        {
            var name = keys[i].Replacement ?? rebuilt[i].Key;
            var unique = name;
            for (var n = 2; obj.ContainsKey(unique); n++) unique = $"{name}#{n}";
            obj[unique] = rebuilt[i].Value;
        }
    }

    private static void WalkArray(JsonArray arr, string path, string container, bool redact, List<DlpHit> hits)
    {
        var items = new List<Item>();
        var values = new List<Item>();
        for (var i = 0; i < arr.Count; i++)
        {
            var childPath = $"{path}[{i}]";
            if (arr[i] is JsonValue v && ScalarText(v) is { } text)
            {
                var item = new Item(text, null, i);
                values.Add(item);
                if (v.GetValueKind() == JsonValueKind.String) items.Add(item);
                var matches = DlpText.Find(text, container);
                AddHits(hits, matches, childPath);
                if (matches.Count > 0) item.Replacement = DlpText.Redact(text, matches);
            }
            else Walk(arr[i], childPath, container, redact, hits);
        }
        Joined(items, path, hits);
        if (!redact) return;
        foreach (var item in values)
            if (item.Replacement is { } replacement) arr[item.Index] = JsonValue.Create(replacement);
    }

    /// <summary>
    /// Scans the joined views (all items with a space, all with nothing, each adjacent pair with nothing); a
    /// match covering two or more items marks each of them for redaction whole.
    /// </summary>
    private static void Joined(List<Item> items, string path, List<DlpHit> hits)
    {
        if (items.Count < 2) return;
        foreach (var separator in JoinSeparators) Scan(items, separator, path, hits);
        for (var k = 1; k < items.Count; k++) Scan([items[k - 1], items[k]], "", path, hits);
    }

    private static void Scan(List<Item> items, string separator, string path, List<DlpHit> hits)
    {
        var sb = new StringBuilder();
        var starts = new List<int>();
        var used = 0;
        foreach (var item in items)
        {
            if (!DlpJoin.Fits(used, item.Text.Length)) break;
            used += item.Text.Length;
            if (starts.Count > 0) sb.Append(DlpJoin.Separator(separator, sb.Length > 0 ? sb[^1] : ' ', item.Text));
            starts.Add(sb.Length);
            sb.Append(item.Text);
        }
        if (starts.Count < 2) return;
        foreach (var m in DlpText.Find(sb.ToString(), ""))
        {
            var covered = Covered(starts, items, m.Index, m.Index + m.Length);
            // A match inside one field counts when only the joined text gave it context (an AWS secret next to
            // its access key id in a sibling field); any other such match was already found in the field itself.
            if (covered.Count < 2 && m.Detector != DlpEngine.AwsSecretKey) continue;
            hits.Add(new DlpHit(m.Detector, path + "(joined)"));
            foreach (var k in covered) items[k].Replacement = "[REDACTED:" + m.Detector + "]";
        }
    }

    /// <summary>
    /// The items a match over [<paramref name="from"/>, <paramref name="to"/>) of the joined text touches: a run of
    /// consecutive items (starts ascend and items do not overlap), found by binary search. Testing every item for
    /// every match was quadratic: 1 MB of arguments made of arrays of short emails cost 18 s of portal CPU.
    /// </summary>
    private static List<int> Covered(List<int> starts, List<Item> items, int from, int to)
    {
        int lo = 0, hi = starts.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (starts[mid] + items[mid].Text.Length > from) hi = mid;
            else lo = mid + 1;
        }
        var covered = new List<int>();
        for (var k = lo; k < starts.Count && starts[k] < to; k++)
            if (starts[k] + items[k].Text.Length > from) covered.Add(k);
        return covered;
    }

    internal static readonly string[] JoinSeparators = [" ", ""];
}
