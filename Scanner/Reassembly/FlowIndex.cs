namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// The flow table's lookup by key: buckets of entries chained through the entries themselves, so a flow costs the
/// table one array slot, not a dictionary entry with a copy of its key. Growing copies only the slot array (8 bytes
/// per slot), which matters while closed flows wait out the idle timeout and the table only grows.
/// </summary>
internal sealed class FlowIndex
{
    private FlowEntry?[] _buckets = new FlowEntry?[1024];

    public int Count { get; private set; }

    public FlowEntry? Find(in FlowKey key)
    {
        int hash = key.GetHashCode();
        for (var entry = _buckets[hash & (_buckets.Length - 1)]; entry is not null; entry = entry.NextInBucket)
        {
            if (entry.Hash == hash && entry.Key.Equals(key)) return entry;
        }
        return null;
    }

    /// <summary>Adds an entry whose key is not in the index (the table removes a closed flow's entry first).</summary>
    public void Add(FlowEntry entry)
    {
        if (Count >= _buckets.Length) Grow();
        entry.Hash = entry.Key.GetHashCode();
        ref var slot = ref _buckets[entry.Hash & (_buckets.Length - 1)];
        entry.NextInBucket = slot;
        slot = entry;
        Count++;
    }

    public void Remove(FlowEntry entry)
    {
        ref var link = ref _buckets[entry.Hash & (_buckets.Length - 1)];
        while (link is not null)
        {
            if (link == entry)
            {
                link = entry.NextInBucket;
                entry.NextInBucket = null;
                Count--;
                return;
            }
            link = ref link.NextInBucket;
        }
    }

    private void Grow()
    {
        var old = _buckets;
        var buckets = new FlowEntry?[old.Length * 2];
        foreach (var head in old)
        {
            for (var entry = head; entry is not null;)
            {
                var next = entry.NextInBucket;
                ref var slot = ref buckets[entry.Hash & (buckets.Length - 1)];
                entry.NextInBucket = slot;
                slot = entry;
                entry = next;
            }
        }
        _buckets = buckets;
    }
}
