using System.Text;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// The last Mcp-Session-Id value one connection carried. Session ids stay out of the shared string table (each
/// session has its own), but a connection repeats its id on every request and response: the same bytes give back
/// the same string instead of a new one per message. A connection's first id comes from a small table of recent
/// ids, as a session's connections follow each other.
/// </summary>
internal sealed class SessionIdMemo
{
    // Bounded whatever the peers send: a new id replaces the one in its slot (session ids are GUIDs or tokens).
    private static readonly RecentStrings Recent = new(slots: 1024, maxChars: 128);

    private string? _last;

    public string Text(ReadOnlySpan<byte> value)
    {
        // Ascii.Equals is false for any non-ASCII byte, so such a value is always decoded anew (as before).
        if (_last is { } last && Ascii.Equals(value, last)) return last;
        return _last = Recent.FromUtf8(value);
    }
}
