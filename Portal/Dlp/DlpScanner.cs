using System.Text;
using System.Text.Json.Nodes;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// Runs every detector over every string in a JSON tree (property names included in paths, not scanned).
/// With redact on, matches are replaced in place by "[REDACTED:{detector}]".
/// </summary>
internal static class DlpScanner
{
    public static DlpScanResult Scan(JsonNode? node, bool redact)
    {
        var hits = new List<DlpHit>();
        Walk(node, "$", redact, hits);
        return new DlpScanResult(hits);
    }

    public static (string Text, List<DlpHit> Hits) ScanText(string text, string path, bool redact)
    {
        var hits = new List<DlpHit>();
        var current = text;
        foreach (var detector in DlpDetectors.All)
        {
            List<System.Text.RegularExpressions.Match> matches;
            try { matches = detector.Find(current).ToList(); }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                // A pathological string is itself suspicious; report it rather than let it pass unscanned.
                hits.Add(new DlpHit($"{detector.Name}-timeout", path));
                continue;
            }
            if (matches.Count == 0) continue;
            hits.Add(new DlpHit(detector.Name, path));
            if (!redact) continue;
            var sb = new StringBuilder(current.Length);
            var last = 0;
            foreach (var m in matches)
            {
                sb.Append(current, last, m.Index - last).Append("[REDACTED:").Append(detector.Name).Append(']');
                last = m.Index + m.Length;
            }
            current = sb.Append(current, last, current.Length - last).ToString();
        }
        return (current, hits);
    }

    private static void Walk(JsonNode? node, string path, bool redact, List<DlpHit> hits)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    var childPath = $"{path}.{key}";
                    if (child is JsonValue v && v.TryGetValue<string>(out var s)) Replace(obj, key, s, childPath, redact, hits);
                    else Walk(child, childPath, redact, hits);
                }
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    var childPath = $"{path}[{i}]";
                    if (arr[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        var (text, found) = ScanText(s, childPath, redact);
                        hits.AddRange(found);
                        if (redact && found.Count > 0) arr[i] = JsonValue.Create(text);
                    }
                    else Walk(arr[i], childPath, redact, hits);
                }
                break;
        }
    }

    private static void Replace(JsonObject obj, string key, string value, string path, bool redact, List<DlpHit> hits)
    {
        var (text, found) = ScanText(value, path, redact);
        hits.AddRange(found);
        if (redact && found.Count > 0) obj[key] = JsonValue.Create(text);
    }
}
