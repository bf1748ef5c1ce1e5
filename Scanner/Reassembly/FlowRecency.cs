namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// Flow entries in least-recently-active order, linked through the entries themselves (an entry is in one list
/// at a time), so expiry and eviction look only at the oldest entry and a packet costs a list move.
/// </summary>
internal sealed class FlowRecency
{
    public FlowEntry? Oldest { get; private set; }

    public FlowEntry? Newest { get; private set; }

    public bool Holds(FlowEntry entry) => entry.List == this;

    public void Add(FlowEntry entry)
    {
        entry.List = this;
        entry.Older = Newest;
        entry.Newer = null;
        if (Newest is null) Oldest = entry;
        else Newest.Newer = entry;
        Newest = entry;
    }

    /// <summary>Adds an entry whose last packet may be older than others': placed by <see cref="FlowEntry.LastPacket"/>.</summary>
    public void AddInOrder(FlowEntry entry)
    {
        var before = Newest;
        while (before is not null && before.LastPacket > entry.LastPacket) before = before.Older;
        if (before == Newest)
        {
            Add(entry);
            return;
        }
        var after = before is null ? Oldest! : before.Newer!;
        entry.List = this;
        entry.Older = before;
        entry.Newer = after;
        after.Older = entry;
        if (before is null) Oldest = entry;
        else before.Newer = entry;
    }

    public void Remove(FlowEntry entry)
    {
        if (entry.Older is null) Oldest = entry.Newer;
        else entry.Older.Newer = entry.Newer;
        if (entry.Newer is null) Newest = entry.Older;
        else entry.Newer.Older = entry.Older;
        entry.Older = entry.Newer = null;
        entry.List = null;
    }

    public void MoveToNewest(FlowEntry entry)
    {
        if (entry == Newest) return;
        Remove(entry);
        Add(entry);
    }
}
