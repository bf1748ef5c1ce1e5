namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Recognises the start of an HTTP/1.x request line (a known method and a space) or status line ("HTTP/1.").
/// Used by the analyzer factory to sniff a connection and by the parser to resync after a gap. No allocation.
/// </summary>
internal static class HttpStartLine
{
    /// <summary>Longest token ("OPTIONS ", "CONNECT ").</summary>
    public const int MaxTokenLength = 8;

    public static StartLineKind Classify(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty) return StartLineKind.NeedMore;
        var kind = line[0] switch
        {
            (byte)'H' => Either(Match(line, "HTTP/1."u8, StartLineKind.Response), Match(line, "HEAD "u8, StartLineKind.Request)),
            (byte)'G' => Match(line, "GET "u8, StartLineKind.Request),
            (byte)'P' => Either(Either(Match(line, "POST "u8, StartLineKind.Request), Match(line, "PUT "u8, StartLineKind.Request)),
                Match(line, "PATCH "u8, StartLineKind.Request)),
            (byte)'D' => Match(line, "DELETE "u8, StartLineKind.Request),
            (byte)'O' => Match(line, "OPTIONS "u8, StartLineKind.Request),
            (byte)'C' => Match(line, "CONNECT "u8, StartLineKind.Request),
            (byte)'T' => Match(line, "TRACE "u8, StartLineKind.Request),
            _ => StartLineKind.None,
        };
        return kind;
    }

    /// <summary>
    /// True when a payload that does not start with a message still holds an HTTP line: a status line after a
    /// line break, or the " HTTP/1.x" tail of a request line. Lets a flow picked up mid-stream be analysed.
    /// </summary>
    public static bool ContainsHttpLine(ReadOnlySpan<byte> payload)
    {
        int at = payload.IndexOf("HTTP/1."u8);
        while (at > 0)
        {
            byte before = payload[at - 1];
            if (before is (byte)'\n' or (byte)' ') return true;
            int next = payload[(at + 1)..].IndexOf("HTTP/1."u8);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }

    private static StartLineKind Either(StartLineKind a, StartLineKind b) =>
        a is StartLineKind.Request or StartLineKind.Response ? a
        : b is StartLineKind.Request or StartLineKind.Response ? b
        : a == StartLineKind.NeedMore || b == StartLineKind.NeedMore ? StartLineKind.NeedMore : StartLineKind.None;

    /// <summary>The kind when the line starts with the token, NeedMore when the line is a proper prefix of it.</summary>
    private static StartLineKind Match(ReadOnlySpan<byte> line, ReadOnlySpan<byte> token, StartLineKind kind)
    {
        int n = Math.Min(line.Length, token.Length);
        if (!line[..n].SequenceEqual(token[..n])) return StartLineKind.None;
        return n == token.Length ? kind : StartLineKind.NeedMore;
    }
}
