namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// The out-of-order bytes all flows hold, and the flows holding any, oldest first. When the total limit is
/// reached the flow that has been waiting longest gives up its holes (its analyzer sees gaps), freeing memory.
/// </summary>
internal sealed class ReassemblyBudget(long limit)
{
    private TcpFlow? _oldest, _newest;

    public long Used { get; private set; }

    /// <summary>Records that <paramref name="flow"/> now holds <paramref name="delta"/> more (or fewer) bytes.</summary>
    public void Changed(TcpFlow flow, int delta)
    {
        if (delta == 0) return;
        Used += delta;
        bool buffering = flow.BufferedBytes > 0;
        if (buffering && !flow.IsBuffering) Link(flow);
        else if (!buffering && flow.IsBuffering) Unlink(flow);
    }

    /// <summary>Frees memory held by other flows until <paramref name="bytes"/> more fit; false when they cannot.</summary>
    public bool TryMakeRoom(TcpFlow current, int bytes, DateTime time)
    {
        while (Used + bytes > limit)
        {
            var victim = _oldest;
            if (victim == current) victim = victim.BufferNewer;
            if (victim is null) return false;
            victim.GiveUpHoles(time);
            // GiveUpHoles leaves the flow without buffered bytes; unlink defensively so the loop always ends.
            if (victim.IsBuffering) Unlink(victim);
        }

        return true;
    }

    private void Link(TcpFlow flow)
    {
        flow.IsBuffering = true;
        flow.BufferOlder = _newest;
        flow.BufferNewer = null;
        if (_newest is null) _oldest = flow;
        else _newest.BufferNewer = flow;
        _newest = flow;
    }

    private void Unlink(TcpFlow flow)
    {
        if (flow.BufferOlder is null) _oldest = flow.BufferNewer;
        else flow.BufferOlder.BufferNewer = flow.BufferNewer;
        if (flow.BufferNewer is null) _newest = flow.BufferOlder;
        else flow.BufferNewer.BufferOlder = flow.BufferOlder;
        flow.BufferOlder = flow.BufferNewer = null;
        flow.IsBuffering = false;
    }
}
