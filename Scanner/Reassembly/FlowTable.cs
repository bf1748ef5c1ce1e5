using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// TCP and UDP flows keyed by 5-tuple, kept in least-recently-active order so idle expiry and eviction look
/// only at the oldest entry. A packet of a known flow costs one hash lookup and a list move. A TCP connection that
/// ended (FIN both ways, or RST) moves to a second list and leaves the table <see cref="ReassemblyOptions.CloseDelay"/>
/// after its last packet, not after the idle timeout: on busy links ended connections would otherwise fill the
/// table for five minutes and push live ones out. UDP flows have their own list and timeout
/// (<see cref="ReassemblyOptions.UdpIdleTimeout"/>) for the same reason: a DNS exchange is over after one answer.
/// </summary>
internal sealed class FlowTable(ReassemblyContext context)
{
    private readonly IFlowObserver? _observer = context.Factory as IFlowObserver;
    private readonly FlowIndex _flows = new();
    private readonly FlowRecency _open = new();
    private readonly FlowRecency _closed = new();
    private readonly FlowRecency _udp = new();
    private long _packets;
    // The latest capture time seen so far (see FlowEntry.LastClock).
    private DateTime _clock = DateTime.MinValue;

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
            entry.List!.MoveToNewest(entry);
        }

        Touch(entry, time, sourceIsLow == entry.InitiatorIsLow, packet.Payload.Length);
        if (entry.IsOpen)
        {
            var flow = (TcpFlow)entry;
            flow.OnSegment(sourceIsLow == flow.InitiatorIsLow, packet.Sequence, packet.Acknowledgment, packet.Flags, packet.Payload, time);
            MoveEnded();
        }

        // The flow may have been closed (and removed by a later one) during the call: charge it only while listed.
        if (entry.List is not null) context.Memory.Recharge(entry);
        EnforceBudget(entry);
    }

    public void OnUdp(in DecodedPacket packet, DateTime time)
    {
        var key = FlowKey.Create(packet, out bool sourceIsLow);
        ExpireIdle(time);
        var entry = _flows.Find(key);
        if (entry is not null)
        {
            entry.List!.MoveToNewest(entry);
        }
        else
        {
            entry = new UdpFlow(key, sourceIsLow) { FirstSeen = time };
            Add(entry);
        }

        Touch(entry, time, sourceIsLow == entry.InitiatorIsLow, packet.Payload.Length);
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

    // Connections that ended during the packet: its own, and any that giving up holes for the reassembly budget let
    // reach both FINs (their last packet came earlier, so they join the ended list in its order by last packet).
    private void MoveEnded()
    {
        foreach (var flow in context.Ended)
        {
            if (!_open.Holds(flow)) continue;
            _open.Remove(flow);
            _closed.AddInOrder(flow);
            context.Memory.Recharge(flow);
        }
        context.Ended.Clear();
    }

    // A packet of the flow: its times, its place in the capture's packet sequence (the sharded scan's clock, or this
    // table's own count on one thread) and its counts.
    private void Touch(FlowEntry entry, DateTime time, bool fromInitiator, int payloadBytes)
    {
        entry.LastSeen = time;
        entry.LastClock = _clock;
        entry.LastPacket = context.Clock?.Packet ?? ++_packets;
        entry.Count(fromInitiator, payloadBytes);
    }

    /// <summary>
    /// The earliest capture time (ticks) at which <see cref="ExpireIdle"/> closes a flow: the oldest open flow's last
    /// packet plus the idle timeout, or the oldest ended connection's plus the close delay, whichever comes first
    /// (on the capture's clock, <c>clock - LastClock &gt; timeout</c> is <c>clock.Ticks &gt; this</c>); <see cref="long.MaxValue"/> when empty.
    /// </summary>
    public long IdleDeadlineTicks => Math.Min(Deadline(_open.Oldest, context.Options.IdleTimeout),
        Math.Min(Deadline(_closed.Oldest, context.Options.CloseDelay), Deadline(_udp.Oldest, context.Options.UdpIdleTimeout)));

    private static long Deadline(FlowEntry? oldest, TimeSpan wait)
    {
        if (oldest is null) return long.MaxValue;
        long last = oldest.LastClock.Ticks, ticks = wait.Ticks;
        return last > long.MaxValue - ticks ? long.MaxValue : last + ticks;
    }

    /// <summary>Closes every flow (end of capture), each at the time of its last packet, in the order of their last packets.</summary>
    public void CloseAll()
    {
        while (Earlier(Earlier(_open.Oldest, _closed.Oldest), _udp.Oldest) is { } flow)
        {
            Expire(flow);
        }
    }

    /// <summary>
    /// Closes the open flows idle for longer than the timeout at <paramref name="now"/> and the ended connections
    /// quiet for longer than the close delay, in the order of their last packets. A sharded scan calls it for every
    /// other shard's packet too, so flows expire at the same packet, in the same order, as in a one-thread scan.
    /// </summary>
    public void ExpireIdle(DateTime now)
    {
        Witness(now);
        now = _clock;
        var timeout = context.Options.IdleTimeout;
        var delay = context.Options.CloseDelay;
        var udpTimeout = context.Options.UdpIdleTimeout;
        while (true)
        {
            var open = _open.Oldest is { } o && now - o.LastClock > timeout ? o : null;
            var closed = _closed.Oldest is { } c && now - c.LastClock > delay ? c : null;
            var udp = _udp.Oldest is { } u && now - u.LastClock > udpTimeout ? u : null;
            if (Earlier(Earlier(open, closed), udp) is not { } flow) break;
            Expire(flow);
        }
        context.Clock?.Resume();
    }

    /// <summary>
    /// A packet at <paramref name="time"/> reached a flow table (this one or, in a sharded scan, another shard's): the
    /// capture's clock moves on to it if it is later.
    /// </summary>
    public void Witness(DateTime time)
    {
        if (time > _clock) _clock = time;
    }

    // Of two candidates, the one whose last packet came first (either may be null).
    private static FlowEntry? Earlier(FlowEntry? a, FlowEntry? b) =>
        a is null ? b : b is null ? a : a.LastPacket <= b.LastPacket ? a : b;

    // A flow leaving as idle or at the capture's end; a sharded scan stamps what it emits with the flow's last packet.
    private void Expire(FlowEntry flow)
    {
        Remove(flow);
        context.Clock?.Closing(flow.LastPacket);
        End(flow);
    }

    /// <summary>Closes a flow that left the table and reports it once, after its analyzer flushed.</summary>
    private void End(FlowEntry flow)
    {
        flow.Close(flow.LastSeen);
        _observer?.OnFlowEnd(flow.Summarize());
    }

    private void Add(FlowEntry entry)
    {
        // Ended connections go first, then UDP flows: they hold no evidence left to lose.
        while (_flows.Count >= context.Options.MaxFlows && (_closed.Oldest ?? _udp.Oldest ?? _open.Oldest) is { } victim)
        {
            Remove(victim);
            if (victim.IsOpen) context.Stats.FlowEvictions++;
            End(victim);
        }

        _flows.Add(entry);
        context.Stats.Flows++;
        (entry is UdpFlow ? _udp : _open).Add(entry);
        context.Memory.Recharge(entry);
    }

    private void Remove(FlowEntry entry)
    {
        _flows.Remove(entry);
        entry.List?.Remove(entry);
        context.Memory.Release(entry);
    }

    /// <summary>
    /// Over the memory budget, evicts ended connections first, then UDP flows, then the flows that hold most for the least evidence
    /// (see FlowMemory.PickVictim), until the scan fits again; the current flow is never the victim, so the packet
    /// just read is analyzed. An evicted flow is reported like any other that leaves the table (the flow log lists
    /// every flow once, whatever the load).
    /// </summary>
    private void EnforceBudget(FlowEntry current)
    {
        var memory = context.Memory;
        while (memory.OverBudget && Victim(current) is { } victim)
        {
            context.Clock?.Evicting();
            var reason = victim.EvictionClass;
            Remove(victim);
            End(victim);
            memory.CountEviction(reason);
        }

        memory.NotePeak();
    }

    private FlowEntry? Victim(FlowEntry current)
    {
        var closed = _closed.Oldest;
        if (closed == current) closed = closed.Newer;
        var udp = _udp.Oldest;
        if (udp == current) udp = udp.Newer;
        return closed ?? udp ?? FlowMemory.PickVictim(_open.Oldest, current);
    }
}
