using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// Values one endpoint lists (its clients, the names its flows used), at most <c>capacity</c>, kept by how often they
/// were seen (Space-Saving): a new value at a full table takes the place of the least seen one and starts from its
/// count plus one. So neither the first values (decoys sent before the real user or name) nor the latest (decoys sent
/// after) decide what is listed: a value is pushed out only once every other listed one has been seen at least as
/// often. Ties go by value, so the same input always lists the same values.
/// </summary>
internal sealed class MostSeen(int capacity)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public int Count => _counts.Count;
    public Dictionary<string, long>.KeyCollection Names => _counts.Keys;

    /// <summary>Counts <paramref name="times"/> sightings of <paramref name="value"/>; true when another value was pushed out for it.</summary>
    public bool Add(string value, long times = 1)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, value);
        if (!Unsafe.IsNullRef(ref count))
        {
            count += times;
            return false;
        }
        if (_counts.Count < capacity)
        {
            _counts.Add(value, times);
            return false;
        }
        // Only a new value at a full table pays for a pass over it.
        string? least = null;
        var fewest = long.MaxValue;
        foreach (var (name, seen) in _counts)
            if (seen < fewest || (seen == fewest && string.CompareOrdinal(name, least) < 0))
                (least, fewest) = (name, seen);
        _counts.Remove(least!);
        _counts.Add(value, fewest + times);
        return true;
    }

    /// <summary>The least value in ordinal order, or null when empty (a name for the endpoint that does not depend on order seen).</summary>
    public string? Min()
    {
        string? least = null;
        foreach (var name in _counts.Keys)
            if (least is null || string.CompareOrdinal(name, least) < 0) least = name;
        return least;
    }

    /// <summary>
    /// Takes over another tally's values with their counts (legacy SSE message paths merged into their stream);
    /// returns how many values were pushed out for them.
    /// </summary>
    public int UnionWith(MostSeen other)
    {
        var displaced = 0;
        foreach (var (name, seen) in other._counts)
            if (Add(name, seen)) displaced++;
        return displaced;
    }
}
