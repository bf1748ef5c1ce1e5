using System.Text;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Observations;

/// <summary>
/// Text fields added as UTF-8 (a body prefix, an event's data) and decoded into a string only when something reads
/// the value: on MCP-dense traffic no rule reads most bodies, and their strings were the packet path's largest
/// remaining allocation. Only a bag made with <see cref="DecodesLazily"/> defers; it keeps a copy of the bytes, is
/// written on first read and so must be read on one thread (the analyzers' reused bag is).
/// </summary>
public sealed partial class FieldBag
{
    // Stands for "not decoded yet" in _items; compared by reference, so no wire value can be mistaken for it.
    private static readonly string Undecoded = new('\uFFFF', 1);

    private byte[] _utf8 = [];
    private int _utf8Length;
    private (int Index, int Start, int Length)[] _undecoded = [];
    private int _undecodedCount;

    /// <summary>Bytes of undecoded text the bag holds room for without growing.</summary>
    public int Utf8Capacity => _utf8.Length;

    /// <summary>True when <see cref="AddUtf8"/> keeps bytes and decodes on first read instead of at once.</summary>
    public bool DecodesLazily { get; init; }

    /// <summary>
    /// Adds the text of at most <paramref name="maxBytes"/> bytes of <paramref name="utf8"/>, cut like
    /// <see cref="Utf8Text.Prefix"/> (never inside a sequence; invalid bytes become U+FFFD when decoded).
    /// </summary>
    public FieldBag AddUtf8(string path, ReadOnlySpan<byte> utf8, int maxBytes)
    {
        utf8 = utf8[..Utf8Text.BoundaryAtOrBefore(utf8, maxBytes)];
        if (!DecodesLazily) return Add(path, Encoding.UTF8.GetString(utf8));
        if (_utf8Length + utf8.Length > _utf8.Length) Array.Resize(ref _utf8, Math.Max(_utf8Length + utf8.Length, Math.Max(1024, _utf8.Length * 2)));
        utf8.CopyTo(_utf8.AsSpan(_utf8Length));
        if (_undecodedCount == _undecoded.Length) Array.Resize(ref _undecoded, Math.Max(4, _undecoded.Length * 2));
        _undecoded[_undecodedCount++] = (_count, _utf8Length, utf8.Length);
        _utf8Length += utf8.Length;
        return Add(path, Undecoded);
    }

    private string Decode(int index)
    {
        for (var u = 0; u < _undecodedCount; u++)
        {
            var (at, start, length) = _undecoded[u];
            if (at != index) continue;
            var text = Encoding.UTF8.GetString(_utf8.AsSpan(start, length));
            _items[index] = new KeyValuePair<string, string>(_items[index].Key, text);
            return text;
        }
        throw new InvalidOperationException($"field {index} has no bytes to decode");
    }

    private void DecodeAll()
    {
        for (var u = 0; u < _undecodedCount; u++)
        {
            var at = _undecoded[u].Index;
            if (ReferenceEquals(_items[at].Value, Undecoded)) Decode(at);
        }
        _undecodedCount = 0;
    }

    private void DropUndecodedFrom(int count)
    {
        var kept = 0;
        for (var u = 0; u < _undecodedCount; u++)
            if (_undecoded[u].Index < count) _undecoded[kept++] = _undecoded[u];
        _undecodedCount = kept;
    }
}
