namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// Replays one batch's emissions of every shard in one-thread order: each shard's list is already in key order,
/// so picking the smallest head each time (a k-way merge over a handful of lists) is enough.
/// </summary>
internal sealed class ShardMerger(int shards, Action<ShardEvent> replay)
{
    private readonly int[] _next = new int[shards];

    /// <summary>Emissions replayed so far.</summary>
    public long Replayed { get; private set; }

    /// <summary>
    /// The highest flow-state memory of all shards together after a packet that reached the flow tables: the
    /// peak a one-thread scan reports, which samples after each such packet.
    /// </summary>
    public long MemoryPeakBytes { get; private set; }

    public void Merge(PacketBatch batch)
    {
        NotePeak(batch);
        var outputs = batch.Outputs;
        Array.Clear(_next);
        while (true)
        {
            int best = -1;
            for (var s = 0; s < outputs.Length; s++)
            {
                if (_next[s] >= outputs[s].Count) continue;
                if (best < 0 || outputs[s][_next[s]].Key.CompareTo(outputs[best][_next[best]].Key) < 0) best = s;
            }
            if (best < 0) return;
            replay(outputs[best][_next[best]++]);
            Replayed++;
        }
    }

    private void NotePeak(PacketBatch batch)
    {
        var memory = batch.MemoryAfter;
        for (var i = 0; i < batch.Count; i++)
        {
            if (!batch.Ticks[i]) continue;
            long total = 0;
            foreach (var shard in memory) total += shard[i];
            if (total > MemoryPeakBytes) MemoryPeakBytes = total;
        }
    }
}
