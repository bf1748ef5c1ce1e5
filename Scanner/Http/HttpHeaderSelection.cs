using System.Text;

namespace ShadowMcp.Scanner.Http;

/// <summary>The headers kept as fields (docs/observations.md), matched case-insensitively on the raw bytes.</summary>
internal static class HttpHeaderSelection
{
    private static readonly string[] RequestNames =
    [
        "host", "content-type", "accept", "content-length", "transfer-encoding", "user-agent", "origin", "connection",
        "upgrade", "mcp-session-id", "mcp-protocol-version", "mcp-method", "mcp-name", "last-event-id", "authorization",
        "content-encoding",
    ];

    private static readonly string[] ResponseNames =
    [
        "content-type", "content-length", "transfer-encoding", "server", "location", "www-authenticate",
        "mcp-session-id", "mcp-protocol-version", "connection", "access-control-allow-origin", "content-encoding",
    ];

    private static readonly byte[][] RequestNameBytes = RequestNames.Select(Encoding.ASCII.GetBytes).ToArray();
    private static readonly byte[][] ResponseNameBytes = ResponseNames.Select(Encoding.ASCII.GetBytes).ToArray();

    /// <summary>The canonical lower-case name when the header is selected for this side, else null.</summary>
    public static string? Select(ReadOnlySpan<byte> name, bool request)
    {
        var names = request ? RequestNameBytes : ResponseNameBytes;
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == name.Length && Ascii.EqualsIgnoreCase(names[i], name))
                return request ? RequestNames[i] : ResponseNames[i];
        }
        return null;
    }
}
