using System.Text;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// The last Mcp-Session-Id value one connection carried. Session ids stay out of the shared string table (each
/// session has its own), but a connection repeats its id on every request and response: the same bytes give back
/// the same string instead of a new one per message.
/// </summary>
internal sealed class SessionIdMemo
{
    private string? _last;

    public string Text(ReadOnlySpan<byte> value)
    {
        // Ascii.Equals is false for any non-ASCII byte, so such a value is always decoded anew (as before).
        if (_last is { } last && Ascii.Equals(value, last)) return last;
        return _last = Encoding.UTF8.GetString(value);
    }
}
