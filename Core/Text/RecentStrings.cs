using System.Numerics;
using System.Text;

namespace ShadowMcp.Core.Text;

/// <summary>
/// A fixed number of recently made strings, one per slot picked by the text's hash: values a scan sees again and
/// again per flow (server names, DNS names, a session's id on each of its connections) come back as the string
/// already made. Unlike <see cref="StringCache"/> it never stops taking new values: a miss replaces the slot's
/// string, so memory stays at the slots whatever the wire sends, and a flood of new values only costs misses.
/// Safe to share between threads: a slot holds a whole string or another, and every hit compares the text.
/// </summary>
public sealed class RecentStrings
{
    private readonly string?[] _slots;
    private readonly int _maxChars;

    /// <param name="slots">Rounded up to a power of two.</param>
    /// <param name="maxChars">Longer values are made anew each time and never kept.</param>
    public RecentStrings(int slots, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _slots = new string?[BitOperations.RoundUpToPowerOf2((uint)slots)];
        _maxChars = maxChars;
    }

    public int Slots => _slots.Length;

    /// <summary>The string equal to <paramref name="text"/>: the one kept when it is there, else a new one, kept.</summary>
    public string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return "";
        if (text.Length > _maxChars) return new string(text);
        ref var slot = ref _slots[string.GetHashCode(text) & (_slots.Length - 1)];
        var kept = Volatile.Read(ref slot);
        if (kept is not null && text.SequenceEqual(kept)) return kept;
        var made = new string(text);
        Volatile.Write(ref slot, made);
        return made;
    }

    /// <summary>UTF-8 text as a string (invalid bytes become U+FFFD); only short ASCII text is kept.</summary>
    public string FromUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        if (utf8.Length > _maxChars || !Ascii.IsValid(utf8)) return Encoding.UTF8.GetString(utf8);
        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var slot = ref _slots[hash.ToHashCode() & (_slots.Length - 1)];
        var kept = Volatile.Read(ref slot);
        if (kept is not null && Ascii.Equals(utf8, kept)) return kept;
        var made = Encoding.ASCII.GetString(utf8);
        Volatile.Write(ref slot, made);
        return made;
    }
}
