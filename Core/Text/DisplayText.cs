namespace ShadowMcp.Core.Text;

/// <summary>
/// Wire text made safe to show in a document: an HTML page, a report. Encoding stops markup, but a browser still
/// honours a bidi override (U+202E) or an isolate written as a character reference, and shows zero-width and tag
/// characters as nothing, so "evil\u202Emoc.buhtig" reads as "evilgithub.com". Those, control characters and lone
/// surrogates are shown as their <c>\uXXXX</c> escape, as <see cref="TerminalText"/> does; tab and line breaks are
/// kept, since a document only lays them out. Apply before the format's own encoding.
/// </summary>
public static class DisplayText
{
    public static string Escape(string? text) => TerminalText.Escape(text, keepLayout: true);
}
