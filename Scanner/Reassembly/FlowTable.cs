using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// TCP and UDP flows keyed by 5-tuple, kept in least-recently-active order so idle expiry and eviction look
/// only at the oldest entry. A packet of a known flow costs one hash lookup and a list move.
/// </summary>
internal sealed class FlowTable(ReassemblyContext context)
{
    private readonly IFlowObserver? _observer = context.Factory as IFlowObserver;
    private readonly FlowIndex _flows = new();
    private FlowEntry? _oldest, _newest;

    public int Count => _flows.Count;

    /// <summary>What the flow state is charged now; see <see cref="FlowMemory"/>.</summary>
    public long MemoryUsed => context.Memory.Used;

    public void OnTcp(in DecodedPacket packet, DateTime time)
    {
        var key = FlowKey.Create(packet, out bool sourceIsLow);
        ExpireIdle(time);
        bool opensConnection = (packet.Flags & (TcpFlags.Syn | TcpFlags.Ack)) == TcpFlags.Syn;
        var entry = _flows.Find(key);
        if (entry is null || (!entry.IsOpen && opensConnection))
        {
            if (entry is not null)
            {
                Remove(entry);
                _observer?.OnFlowEnd(entry.Summarize());
            }
            // The initiator sent the SYN; a capture starting at the SYN-ACK still knows who that was.
            bool synAck = (packet.Flags & (TcpFlags.Syn | TcpFlags.Ack)) == (TcpFlags.Syn | TcpFlags.Ack);
            entry = new TcpFlow(key, synAck ? !sourceIsLow : sourceIsLow, context) { FirstSeen = time };
            Add(entry);
        }
        else
        {
            MoveToNewest(entry);
        }

        entry.LastSeen = time;
        if (context.Clock is { } clock) entry.LastPacket = clock.Packet;
        entry.Count(sourceIsLow == entry.InitiatorIsLow, packet.Payload.Length);
        if (entry.IsOpen)
        {
            var flow = (TcpFlow)entry;
            flow.OnSegment(sourceIsLow == flow.InitiatorIsLow, packet.Sequence, packet.Acknowledgment, packet.Flags, packet.Payload, time);
        }

        // The flow may have been closed (and removed by a later one) during the call: charge it only while listed.
        if (entry == _newest || entry.Older is not null) context.Memory.Recharge(entry);
        EnforceBudget(entry);
    }

    public void OnUdp(in DecodedPacket packet, DateTime time)
    {
        var key = FlowKey.Create(packet, out bool sourceIsLow);
        ExpireIdle(time);
        var entry = _flows.Find(key);
        if (entry is not null)
        {
            MoveToNewest(entry);
        }
        else
        {
            entry = new UdpFlow(key, sourceIsLow) { FirstSeen = time };
            Add(entry);
        }

        entry.LastSeen = time;
        if (context.Clock is { } clock) entry.LastPacket = clock.Packet;
        entry.Count(sourceIsLow == entry.InitiatorIsLow, packet.Payload.Length);
        EnforceBudget(entry);
        var analyzer = context.Factory.ForUdp(packet.SourcePort, packet.DestinationPort);
        if (analyzer is null) return;
        var flow = (UdpFlow)entry;
        bool fromInitiator = sourceIsLow == flow.InitiatorIsLow;
        try
        {
            analyzer.OnDatagram(flow.Endpoints, fromInitiator, packet.Payload, time);
        }
        catch (Exception ex)
        {
            // Same guard as for TCP analyzers: the datagram is lost, the scan is not. Datagrams carry no stream offset.
            var f = flow.Endpoints.AsFlowRef(fromInitiator);
            context.Stats.AddAnomaly(new ScanAnomaly($"{analyzer.GetType().Name}.OnDatagram:{ex.GetType().Name}",
                $"{f.Client}:{f.ClientPort} -> {f.Server}:{f.ServerPort}/udp", -1, time));
        }
    }

    /// <summary>
    /// The earliest capture time (ticks) at which <see cref="ExpireIdle"/> closes a flow: the oldest flow's last packet
    /// plus the timeout (<c>now - LastSeen &gt; timeout</c> is <c>now.Ticks &gt; this</c>); <see cref="long.MaxValue"/> when empty.
    /// </summary>
    public long IdleDeadlineTicks
    {
        get
        {
            if (_oldest is not { } flow) return long.MaxValue;
            long last = flow.LastSeen.Ticks, timeout = context.Options.IdleTimeout.Ticks;
            return last > long.MaxValue - timeout ? long.MaxValue : last + timeout;
        }
    }

    /// <summary>Closes every flow (end of capture), each at the time of its last packet.</summary>
    public void CloseAll()
    {
        while (_oldest is { } flow)
        {
            Remove(flow);
            context.Clock?.Closing(flow.LastPacket);
            End(flow);
        }
    }

    /// <summary>
    /// Closes the flows idle for longer than the timeout at <paramref name="now"/>. A sharded scan calls it for
    /// every other shard's packet too, so flows expire at the same packet as in a one-thread scan.
    /// </summary>
    public void ExpireIdle(DateTime now)
    {
        var timeout = context.Options.IdleTimeout;
        while (_oldest is { } flow && now - flow.LastSeen > timeout)
        {
            Remove(flow);
            context.Clock?.Closing(flow.LastPacket);
            End(flow);
        }
        context.Clock?.Resume();
    }

    /// <summary>Closes a flow that left the table and reports it once, after its analyzer flushed.</summary>
    private void End(FlowEntry flow)
    {
        flow.Close(flow.LastSeen);
        _observer?.OnFlowEnd(flow.Summarize());
    }

    private void Add(FlowEntry entry)
    {
        while (_flows.Count >= context.Options.MaxFlows && _oldest is { } victim)
        {
            Remove(victim);
            if (victim.IsOpen) context.Stats.FlowEvictions++;
            End(victim);
        }

        _flows.Add(entry);
        context.Stats.Flows++;
        Link(entry);
        context.Memory.Recharge(entry);
    }

    private void Remove(FlowEntry entry)
    {
        _flows.Remove(entry);
        Unlink(entry);
        context.Memory.Release(entry);
    }

    /// <summary>
    /// Over the memory budget, evicts the flows that hold most for the least evidence (see FlowMemory.PickVictim)
    /// until the scan fits again; the current flow is never the victim, so the packet just read is analyzed.
    /// </summary>
    private void EnforceBudget(FlowEntry current)
    {
        var memory = context.Memory;
        while (memory.OverBudget && FlowMemory.PickVictim(_oldest, current) is { } victim)
        {
            context.Clock?.Evicting();
            var reason = victim.EvictionClass;
            Remove(victim);
            victim.Close(victim.LastSeen);
            memory.CountEviction(reason);
        }

        memory.NotePeak();
    }

    private void MoveToNewest(FlowEntry entry)
    {
        if (entry == _newest) return;
        Unlink(entry);
        Link(entry);
    }

    private void Link(FlowEntry entry)
    {
        entry.Older = _newest;
        entry.Newer = null;
        if (_newest is null) _oldest = entry;
        else _newest.Newer = entry;
        _newest = entry;
    }

    private void Unlink(FlowEntry entry)
    {
        if (entry.Older is null) _oldest = entry.Newer;
        else entry.Older.Newer = entry.Newer;
        if (entry.Newer is null) _newest = entry.Older;
        else entry.Newer.Older = entry.Older;
        entry.Older = entry.Newer = null;
    }
}
