using System.Collections;
using System.Runtime.InteropServices;

namespace ShadowMcp.Core.Observations;

/// <summary>
/// The fields of one observation as dotted paths (<c>params.clientInfo.name</c>, <c>header.mcp-session-id</c>).
/// A path may hold several values (array elements use <c>[]</c>: <c>result.tools[].name</c>); a rule matches
/// when any value matches. JSON objects and arrays are present with the values <c>{}</c> and <c>[]</c> so that
/// <c>exists</c> works on them. Small by design: an observation carries tens of fields, so a list beats a hash.
/// </summary>
public sealed class FieldBag : IEnumerable<KeyValuePair<string, string>>
{
    public const string ObjectMarker = "{}";
    public const string ArrayMarker = "[]";

    private readonly List<KeyValuePair<string, string>> _items;

    public FieldBag(int capacity = 8) => _items = new List<KeyValuePair<string, string>>(capacity);

    public int Count => _items.Count;

    /// <summary>The fields in order, for loops that must not allocate an enumerator (rule matching).</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> AsSpan() => CollectionsMarshal.AsSpan(_items);

    public FieldBag Add(string path, string value)
    {
        _items.Add(new KeyValuePair<string, string>(path, value));
        return this;
    }

    /// <summary>Adds the field only when the value is not null.</summary>
    public FieldBag AddIfPresent(string path, string? value)
    {
        if (value is not null) _items.Add(new KeyValuePair<string, string>(path, value));
        return this;
    }

    public void AddRange(string prefix, FieldBag other)
    {
        foreach (var kv in other._items) _items.Add(new KeyValuePair<string, string>(prefix + kv.Key, kv.Value));
    }

    public bool Has(string path)
    {
        foreach (var kv in _items)
            if (string.Equals(kv.Key, path, StringComparison.Ordinal)) return true;
        return false;
    }

    public string? Get(string path)
    {
        foreach (var kv in _items)
            if (string.Equals(kv.Key, path, StringComparison.Ordinal)) return kv.Value;
        return null;
    }

    public IEnumerable<string> GetAll(string path)
    {
        foreach (var kv in _items)
            if (string.Equals(kv.Key, path, StringComparison.Ordinal)) yield return kv.Value;
    }

    /// <summary>A struct enumerator: a foreach over a bag allocates nothing (rules read fields per observation).</summary>
    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override string ToString() => string.Join(", ", _items.Select(kv => $"{kv.Key}={kv.Value}"));
}
