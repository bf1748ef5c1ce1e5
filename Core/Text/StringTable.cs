using System.Collections.Concurrent;
using System.Numerics;

namespace ShadowMcp.Core.Text;

/// <summary>
/// Short strings looked up by span, one instance per distinct text: the first <c>maxEntries</c> distinct strings are
/// kept for the life of the table; after that, a string is shared while it is recent. A table that only stopped
/// growing could be filled by a peer with strings of its own (or, in a sensor running for weeks, by one-time values),
/// and every later value would be made anew per field for the rest of the process's life. The recent strings are
/// slots chosen by the text's hash (randomised per process, so a peer cannot aim at one) that any new string may take
/// over: junk displaces junk, and a value that repeats is made once per displacement. Thread-safe: slots are read and
/// written whole and checked by content.
/// </summary>
public sealed class StringTable
{
    public const int MaxChars = 96;

    private readonly int _maxEntries;
    private readonly ConcurrentDictionary<string, string> _table = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private readonly string?[] _recent;
    private int _count;

    /// <param name="maxEntries">Strings kept for good.</param>
    /// <param name="recentSlots">Slots for strings seen after that (rounded up to a power of two).</param>
    public StringTable(int maxEntries, int recentSlots)
    {
        _maxEntries = maxEntries;
        _byChars = _table.GetAlternateLookup<ReadOnlySpan<char>>();
        _recent = new string?[Math.Max(1, (int)BitOperations.RoundUpToPowerOf2((uint)recentSlots))];
    }

    /// <summary>Strings kept for good so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The shared string equal to <paramref name="text"/>.</summary>
    public string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return "";
        if (text.Length > MaxChars) return new string(text);
        if (_byChars.TryGetValue(text, out var cached)) return cached;
        if (Volatile.Read(ref _count) >= _maxEntries) return Recent(text);
        var made = new string(text);
        // A path the code names as a literal ("path", "request.host") is then the literal itself: the code's own
        // lookups in a field bag find it by reference. Asked once per new entry, not per lookup.
        made = string.IsInterned(made) ?? made;
        if (_table.TryAdd(made, made)) Interlocked.Increment(ref _count);
        else if (_table.TryGetValue(made, out var raced)) return raced;
        return made;
    }

    private string Recent(ReadOnlySpan<char> text)
    {
        ref var slot = ref _recent[string.GetHashCode(text) & (_recent.Length - 1)];
        var recent = slot;
        if (recent is not null && text.SequenceEqual(recent)) return recent;
        var made = new string(text);
        slot = made;
        return made;
    }
}
