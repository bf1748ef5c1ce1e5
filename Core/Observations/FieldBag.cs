using System.Collections;
using System.Text;

namespace ShadowMcp.Core.Observations;

/// <summary>
/// The fields of one observation as dotted paths (<c>params.clientInfo.name</c>, <c>header.mcp-session-id</c>).
/// A path may hold several values (array elements use <c>[]</c>: <c>result.tools[].name</c>); a rule matches
/// when any value matches. JSON objects and arrays are present with the values <c>{}</c> and <c>[]</c> so that
/// <c>exists</c> works on them. Small by design: an observation carries tens of fields, so a list beats a hash.
/// </summary>
public sealed partial class FieldBag : IEnumerable<KeyValuePair<string, string>>
{
    public const string ObjectMarker = "{}";
    public const string ArrayMarker = "[]";

    // An array and a count, not a List: one object less per observation on the packet path.
    private KeyValuePair<string, string>[] _items;
    private int _count;

    public FieldBag(int capacity = 8) => _items = capacity > 0 ? new KeyValuePair<string, string>[capacity] : [];

    /// <summary>
    /// A bag holding these fields with room for <paramref name="extra"/> more: a bag filled in a reused scratch bag
    /// and kept is then allocated once, at its size, instead of growing by doubling (the hot path's largest cost).
    /// </summary>
    public FieldBag(ReadOnlySpan<KeyValuePair<string, string>> items, int extra)
    {
        _items = new KeyValuePair<string, string>[items.Length + extra];
        items.CopyTo(_items);
        _count = items.Length;
    }

    public int Count => _count;

    /// <summary>Fields the bag holds room for without growing.</summary>
    public int Capacity => _items.Length;

    /// <summary>The fields in order, every value decoded (see <see cref="AddUtf8"/>).</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> AsSpan()
    {
        if (_undecodedCount > 0) DecodeAll();
        return _items.AsSpan(0, _count);
    }

    /// <summary>The path of field <paramref name="index"/> (0 to <see cref="Count"/> - 1); reading a path decodes nothing.</summary>
    public string KeyAt(int index) => _items[index].Key;

    /// <summary>The value of field <paramref name="index"/>, decoded now if it was added as UTF-8 and not read yet.</summary>
    public string ValueAt(int index)
    {
        var value = _items[index].Value;
        return ReferenceEquals(value, Undecoded) ? Decode(index) : value;
    }

    /// <summary>The index of the first field with this path at or after <paramref name="start"/>, or -1. Decodes nothing.</summary>
    public int IndexOf(string path, int start = 0)
    {
        // Paths mostly come from the string cache, so the same path is the same object: test the reference and the
        // length inline and call the comparison only for a same-length path (every rule scans the bag this way).
        var items = _items;
        for (var i = start; i < _count; i++)
        {
            var key = items[i].Key;
            if (ReferenceEquals(key, path)) return i;
            if (key.Length == path.Length && key.AsSpan().SequenceEqual(path)) return i;
        }
        return -1;
    }

    public FieldBag Add(string path, string value)
    {
        if (_count == _items.Length) Array.Resize(ref _items, Math.Max(8, _items.Length * 2));
        _items[_count++] = new KeyValuePair<string, string>(path, value);
        return this;
    }

    /// <summary>Adds the field only when the value is not null.</summary>
    public FieldBag AddIfPresent(string path, string? value) => value is null ? this : Add(path, value);

    public void AddRange(string prefix, FieldBag other)
    {
        foreach (var kv in other.AsSpan()) Add(prefix + kv.Key, kv.Value);
    }

    /// <summary>Adds the fields in order, growing at most once.</summary>
    public FieldBag AddRange(ReadOnlySpan<KeyValuePair<string, string>> items)
    {
        if (_count + items.Length > _items.Length) Array.Resize(ref _items, Math.Max(8, Math.Max(_count + items.Length, _items.Length * 2)));
        items.CopyTo(_items.AsSpan(_count));
        _count += items.Length;
        return this;
    }

    /// <summary>Drops the fields from index <paramref name="count"/> on (a message that turned out not to be one).</summary>
    public void Truncate(int count)
    {
        if (count >= _count) return;
        Array.Clear(_items, count, _count - count);
        _count = count;
        DropUndecodedFrom(count);
    }

    /// <summary>Empties the bag and keeps its storage, for a scratch bag reused message after message.</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, _count); // drop the references, so a reused bag keeps no strings alive
        _count = 0;
        _undecodedCount = 0;
        _utf8Length = 0;
    }

    public bool Has(string path) => IndexOf(path) >= 0;

    public string? Get(string path) => IndexOf(path) is var i and >= 0 ? ValueAt(i) : null;

    public IEnumerable<string> GetAll(string path)
    {
        for (var i = IndexOf(path); i >= 0; i = IndexOf(path, i + 1)) yield return ValueAt(i);
    }

    /// <summary>A struct enumerator: a foreach over a bag allocates nothing (rules read fields per observation).</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => Enumerate();

    IEnumerator IEnumerable.GetEnumerator() => Enumerate();

    private IEnumerator<KeyValuePair<string, string>> Enumerate()
    {
        for (var i = 0; i < _count; i++) yield return new KeyValuePair<string, string>(_items[i].Key, ValueAt(i));
    }

    /// <summary>Walks the fields present when it was made; a bag is filled once and then only read.</summary>
    public struct Enumerator(FieldBag bag)
    {
        private int _index = -1;

        public readonly KeyValuePair<string, string> Current => new(bag._items[_index].Key, bag.ValueAt(_index));

        public bool MoveNext() => ++_index < bag._count;
    }

    public override string ToString()
    {
        var items = AsSpan();
        var text = new StringBuilder();
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(items[i].Key).Append('=').Append(items[i].Value);
        }
        return text.ToString();
    }
}
