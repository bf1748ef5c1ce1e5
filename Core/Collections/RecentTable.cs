namespace ShadowMcp.Core.Collections;

/// <summary>
/// A map that keeps the entries written or read most recently, at most <c>capacity</c> of them (at least 2). Two
/// generations: new entries go to the current one until it holds half the capacity; then the previous one is
/// dropped whole and the current one takes its place. An entry read from the previous generation moves back to the
/// current one, so an entry in use stays however many come after it, and one neither written nor read during the
/// last capacity/2 writes may be gone. Oldest leave first: a table that refuses new entries once full stops learning
/// for good after a long run, or after an attacker filled it on purpose.
/// </summary>
/// <remarks>No iteration, so nothing depends on hash order; no node per entry, unlike a linked-list LRU.</remarks>
public sealed class RecentTable<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    private readonly int _generation = Math.Max(1, capacity / 2);
    private Dictionary<TKey, TValue> _current = new(comparer);
    private Dictionary<TKey, TValue> _previous = new(comparer);

    public int Count => _current.Count + _previous.Count;

    /// <summary>Entries given up to make room (each neither written nor read during the last capacity/2 writes).</summary>
    public long Dropped { get; private set; }

    public void Set(TKey key, TValue value)
    {
        if (!_current.ContainsKey(key))
        {
            _previous.Remove(key);
            MakeRoom();
        }
        _current[key] = value;
    }

    /// <summary>The entry's value, and the entry counts as recent again.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        if (_current.TryGetValue(key, out value!)) return true;
        // Checked first: a cleared dictionary would still hash the key.
        if (_previous.Count == 0 || !_previous.Remove(key, out value!)) return false;
        MakeRoom();
        _current[key] = value;
        return true;
    }

    /// <summary>Forgets the entry; true when there was one.</summary>
    public bool Remove(TKey key) => _current.Remove(key) | _previous.Remove(key);

    /// <summary>The entry's value, leaving its recency alone: for reading results, which is not a use of the entry.</summary>
    public bool TryPeek(TKey key, out TValue value) =>
        _current.TryGetValue(key, out value!) || (_previous.Count > 0 && _previous.TryGetValue(key, out value!));

    // Clear keeps the dictionary's arrays, so a long run reuses two tables instead of allocating one per generation.
    private void MakeRoom()
    {
        if (_current.Count < _generation) return;
        Dropped += _previous.Count;
        (_previous, _current) = (_current, _previous);
        _current.Clear();
    }
}
