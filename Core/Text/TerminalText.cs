using System.Globalization;
using System.Text;

namespace ShadowMcp.Core.Text;

/// <summary>
/// Wire text made safe for a terminal. Server, client and tool names, hosts and paths come from hostile traffic and
/// host configs: an ESC starts an ANSI or OSC sequence (recolour, clear the screen, an OSC 8 link that shows one text
/// and opens another), a CR or line break overwrites or forges lines, and a format character such as a bidi override
/// (U+202E), a zero-width space or a Unicode tag (invisible text) makes a name read as another. Each of those, and a
/// lone surrogate, is shown as its <c>\uXXXX</c> (or <c>\U000XXXXX</c>) escape, so the analyst sees that it was
/// there. Everything else is kept as it is.
/// </summary>
public static class TerminalText
{
    public static string Escape(string? text) => Escape(text, keepLayout: false);

    /// <summary>
    /// The same, but tab, CR and LF are kept: a document (HTML, a report) lays them out as white space and cannot be
    /// rewritten by them. See <see cref="DisplayText"/>.
    /// </summary>
    internal static string Escape(string? text, bool keepLayout)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var span = text.AsSpan();
        var clean = 0;
        while (clean < span.Length && Rune.DecodeFromUtf16(span[clean..], out var rune, out var used) == System.Buffers.OperationStatus.Done
               && !Unsafe(rune, keepLayout))
            clean += used;
        if (clean == span.Length) return text;

        var sb = new StringBuilder(text.Length + 16).Append(span[..clean]);
        for (var i = clean; i < span.Length;)
        {
            if (Rune.DecodeFromUtf16(span[i..], out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                sb.Append("\\u").Append(((int)span[i]).ToString("X4", CultureInfo.InvariantCulture));
                i++;
                continue;
            }
            if (!Unsafe(rune, keepLayout)) sb.Append(span.Slice(i, used));
            else if (rune.IsBmp) sb.Append("\\u").Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture));
            else sb.Append("\\U").Append(rune.Value.ToString("X8", CultureInfo.InvariantCulture));
            i += used;
        }
        return sb.ToString();
    }

    // C0, DEL and C1 controls, format characters (bidi embeddings, overrides and isolates, zero widths, the BOM, tags),
    // and line and paragraph separators; with keepLayout, tab, LF and CR are let through.
    private static bool Unsafe(Rune r, bool keepLayout) => r.Value < 0x20
        ? !(keepLayout && r.Value is 0x09 or 0x0A or 0x0D)
        : r.Value >= 0x7F && Rune.GetUnicodeCategory(r)
            is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
