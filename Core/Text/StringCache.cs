using System.Text;

namespace ShadowMcp.Core.Text;

/// <summary>
/// A bounded, process-wide table of short strings the packet path makes over and over: field paths
/// (<c>params.clientInfo.name</c>, <c>http.header.accept</c>), header values, JSON-RPC versions and method names.
/// Looked up by span, so a string already seen costs no allocation. The table (<see cref="StringTable"/>) stops growing
/// at <see cref="MaxEntries"/> strings of at most <see cref="MaxChars"/> chars: names and values come from the wire,
/// and a peer sending endless new ones must not grow memory; past the cap, recent strings are still shared.
/// </summary>
public static class StringCache
{
    public const int MaxChars = StringTable.MaxChars;
    public const int MaxEntries = 16_384;

    private static readonly StringTable Shared = new(MaxEntries, recentSlots: 4096);

    /// <summary>The cached string equal to <paramref name="text"/>, adding it while the table has room.</summary>
    public static string Get(ReadOnlySpan<char> text) => Shared.Get(text);

    /// <summary><paramref name="prefix"/> followed by <paramref name="name"/>, e.g. "http.header." + "accept".</summary>
    public static string Concat(string prefix, string name)
    {
        // Every JSON-RPC message repeats its request's header paths ("http.header." + each name, the names already
        // from this table): a per-thread memo by reference answers those without hashing the joined text again.
        var memo = _prefixMemo ??= new PrefixedName[PrefixMemoSize];
        ref var slot = ref memo[(prefix.Length * 31 + name.Length * 7 + (name.Length > 0 ? name[^1] : 0)) & (PrefixMemoSize - 1)];
        if (ReferenceEquals(slot.Prefix, prefix) && ReferenceEquals(slot.Name, name)) return slot.Joined;
        var joined = Concat(prefix, "", name);
        slot = new PrefixedName(prefix, name, joined);
        return joined;
    }

    private const int PrefixMemoSize = 256;

    [ThreadStatic]
    private static PrefixedName[]? _prefixMemo;

    private readonly record struct PrefixedName(string Prefix, string Name, string Joined);

    /// <summary>The three parts joined, e.g. "params" + "." + "clientInfo".</summary>
    public static string Concat(string first, string second, string third)
    {
        int length = first.Length + second.Length + third.Length;
        if (length > MaxChars) return string.Concat(first, second, third);
        Span<char> buffer = stackalloc char[MaxChars];
        first.CopyTo(buffer);
        second.CopyTo(buffer[first.Length..]);
        third.CopyTo(buffer[(first.Length + second.Length)..]);
        return Get(buffer[..length]);
    }

    /// <summary>
    /// UTF-8 text as a string through the table when it is short ASCII (the common case for the strings above);
    /// anything else is decoded as before (invalid UTF-8 becomes U+FFFD).
    /// </summary>
    public static string FromUtf8(ReadOnlySpan<byte> utf8, int maxChars = MaxChars)
    {
        if (utf8.Length > Math.Min(maxChars, MaxChars) || !Ascii.IsValid(utf8)) return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[MaxChars];
        int n = Encoding.ASCII.GetChars(utf8, chars);
        return Get(chars[..n]);
    }
}
