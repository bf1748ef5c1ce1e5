using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// The clients of one endpoint, at most <c>capacity</c>, kept by how often they were seen (Space-Saving): a new client
/// at a full table takes the place of the least seen one and starts from its count plus one. So neither the first
/// clients (decoys sent before the real user) nor the latest (decoys sent after) decide who is listed: a client is
/// pushed out only once every other listed one has been seen at least as often. Ties go by name, so the same input
/// always lists the same clients.
/// </summary>
internal sealed class ClientTally(int capacity)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public int Count => _counts.Count;
    public Dictionary<string, long>.KeyCollection Names => _counts.Keys;

    /// <summary>Counts <paramref name="times"/> sightings of <paramref name="client"/>; true when another client was pushed out for it.</summary>
    public bool Add(string client, long times = 1)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, client);
        if (!Unsafe.IsNullRef(ref count))
        {
            count += times;
            return false;
        }
        if (_counts.Count < capacity)
        {
            _counts.Add(client, times);
            return false;
        }
        // Only a new client at a full table pays for a pass over it.
        string? least = null;
        var fewest = long.MaxValue;
        foreach (var (name, seen) in _counts)
            if (seen < fewest || (seen == fewest && string.CompareOrdinal(name, least) < 0))
                (least, fewest) = (name, seen);
        _counts.Remove(least!);
        _counts.Add(client, fewest + times);
        return true;
    }

    /// <summary>Takes over another tally's clients with their counts (legacy SSE message paths merged into their stream).</summary>
    public void UnionWith(ClientTally other)
    {
        foreach (var (name, seen) in other._counts) Add(name, seen);
    }
}
