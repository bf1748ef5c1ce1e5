using System.Buffers;
using System.Globalization;
using System.Text;

namespace ShadowMcp.Portal.Dlp;

/// <summary>One text through fold and detectors, with matches mapped back to the original for redaction.</summary>
internal static class DlpText
{
    /// <summary>Whether any detector matches <paramref name="text"/>; allocation-free for clean text.</summary>
    public static bool Any(ReadOnlySpan<char> text, ReadOnlySpan<char> field)
    {
        if (text.Length < DlpEngine.MinimumLength) return false;
        if (!DlpFolding.NeedsFolding(text)) return DlpEngine.Analyze(text, field, null);
        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try { return DlpEngine.Analyze(buffer.AsSpan(0, DlpFolding.Fold(text, buffer, [])), field, null); }
        finally { ArrayPool<char>.Shared.Return(buffer); }
    }

    /// <summary>Matches in original coordinates, ordered by position.</summary>
    public static List<DlpMatch> Find(string text, string field)
    {
        var result = new List<DlpMatch>();
        if (text.Length < DlpEngine.MinimumLength) return result;
        var folded = new char[text.Length];
        var map = new int[text.Length];
        var n = DlpFolding.Fold(text, folded, map);
        var findings = new DlpFindings();
        if (!DlpEngine.Analyze(folded.AsSpan(0, n), field, findings)) return result;
        foreach (var (detector, start, length) in findings.Items)
        {
            var from = map[start];
            var to = start + length < n ? map[start + length] : text.Length;
            result.Add(new DlpMatch(detector, from, to - from, text[from..to]));
        }
        result.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : b.Length.CompareTo(a.Length));
        return result;
    }

    /// <summary>Replaces each match (overlaps merged) with "[REDACTED:{detector}]".</summary>
    public static string Redact(string text, IReadOnlyList<DlpMatch> matches)
    {
        if (matches.Count == 0) return text;
        var sb = new StringBuilder(text.Length);
        var last = 0;
        foreach (var m in matches)
        {
            if (m.Index + m.Length <= last) continue; // inside one already replaced
            var from = Math.Max(m.Index, last);
            sb.Append(text, last, from - last).Append("[REDACTED:").Append(m.Detector).Append(']');
            last = m.Index + m.Length;
        }
        return sb.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>A JSON number as digits: "4.111111111111111E15" is the card 4111111111111111.</summary>
    public static string NumberDigits(string raw)
    {
        if (raw.AsSpan().IndexOfAny('e', 'E') < 0) return raw;
        return decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d.ToString(CultureInfo.InvariantCulture)
            : raw;
    }
}
