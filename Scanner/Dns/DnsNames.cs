using ShadowMcp.Core.Text;

namespace ShadowMcp.Scanner.Dns;

/// <summary>
/// Reads a possibly compressed domain name (RFC 1035 4.1.4). Guards: at most 255 bytes of name, labels of at most
/// 63 bytes, pointers that must point backwards and at most 64 jumps, so a pointer loop ends in bounded time.
/// </summary>
internal static class DnsNames
{
    private const int MaxNameBytes = 255;
    private const int MaxJumps = 64;

    // The names a network asks for over and over (and each answer repeats the question); bounded whatever it sends.
    private static readonly RecentStrings Recent = new(slots: 1024, maxChars: MaxNameBytes);

    /// <param name="next">Offset just past the name at its original position (not past a pointer target).</param>
    public static bool TryRead(ReadOnlySpan<byte> message, int offset, out string name, out int next)
    {
        name = "";
        next = -1;
        Span<char> text = stackalloc char[MaxNameBytes + 1];
        int length = 0, jumps = 0, pos = offset, wireBytes = 0;
        while (true)
        {
            if (pos >= message.Length) return false;
            byte len = message[pos];
            if (len == 0)
            {
                if (next < 0) next = pos + 1;
                break;
            }
            if ((len & 0xC0) == 0xC0)
            {
                if (pos + 1 >= message.Length || ++jumps > MaxJumps) return false;
                int target = ((len & 0x3F) << 8) | message[pos + 1];
                if (next < 0) next = pos + 2;
                if (target >= pos) return false; // forward or self pointers are how loops are built
                pos = target;
                continue;
            }
            if ((len & 0xC0) != 0 || pos + 1 + len > message.Length) return false;
            wireBytes += len + 1;
            if (wireBytes > MaxNameBytes) return false;
            if (length > 0) text[length++] = '.';
            foreach (byte b in message.Slice(pos + 1, len))
                text[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (char)(b | 0x20) : (char)b;
            pos += 1 + len;
        }
        name = Recent.Get(text[..length]);
        return true;
    }

    /// <summary>Skips a name without decoding it.</summary>
    public static bool TrySkip(ReadOnlySpan<byte> message, int offset, out int next)
    {
        next = -1;
        int pos = offset;
        while (pos < message.Length)
        {
            byte len = message[pos];
            if (len == 0) { next = pos + 1; return true; }
            if ((len & 0xC0) == 0xC0) { next = pos + 2; return next <= message.Length; }
            if ((len & 0xC0) != 0) return false;
            pos += 1 + len;
        }
        return false;
    }
}
