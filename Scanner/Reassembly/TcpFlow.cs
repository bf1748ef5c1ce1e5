using System.Buffers;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// One TCP connection: puts each direction's bytes in order and hands them to its analyzer. Sequence numbers
/// are compared as signed 32-bit differences, so wraparound needs no special case.
/// </summary>
internal sealed class TcpFlow : FlowEntry
{
    private readonly ReassemblyContext _context;
    // Rented from the scan's pool; handed back when the flow closes, after which both are TcpHalf.Released.
    private TcpHalf _initiator;
    private TcpHalf _responder;
    private TcpFlowState _state;
    private ITcpStreamAnalyzer? _analyzer;
    private FlowEndpoints? _endpoints;

    public TcpFlow(FlowKey key, bool initiatorIsLow, ReassemblyContext context) : base(key, initiatorIsLow)
    {
        _context = context;
        _initiator = context.Halves.Rent(fromInitiator: true);
        _responder = context.Halves.Rent(fromInitiator: false);
    }

    public override bool IsOpen => _state != TcpFlowState.Closed;

    public TcpFlowState State => _state;

    public int BufferedBytes => _initiator.PendingBytes + _responder.PendingBytes;

    internal override long MemoryCost(ReassemblyOptions options) => FlowMemory.EntryBytes + FlowMemory.TcpExtraBytes
        + (_state == TcpFlowState.Analyzing ? (_analyzer as IHoldsBytes)?.HeldBytes ?? options.UnreportedAnalyzerBytes : 0);

    internal override long PendingBytes => BufferedBytes;

    /// <summary>
    /// Closed and passive flows hold no evidence to lose; a flow whose responder never answered is half-open (a scan or
    /// a flood); one whose responder sent no payload has shown nothing yet; a two-way conversation is kept longest.
    /// </summary>
    internal override EvictionReason EvictionClass => _state is TcpFlowState.Closed or TcpFlowState.Passive ? EvictionReason.Stateless
        : !_responder.Initialized ? EvictionReason.HalfOpen
        : !_responder.SawData ? EvictionReason.OneWay
        : EvictionReason.TwoWay;

    internal bool IsBuffering { get; set; }
    internal TcpFlow? BufferOlder { get; set; }
    internal TcpFlow? BufferNewer { get; set; }

    private bool IsActive => _state is TcpFlowState.Undecided or TcpFlowState.Analyzing;

    public void OnSegment(bool fromInitiator, uint sequence, uint acknowledgment, TcpFlags flags, ReadOnlySpan<byte> payload, DateTime time)
    {
        if (_state == TcpFlowState.Closed) return;
        var half = fromInitiator ? _initiator : _responder;
        if ((flags & TcpFlags.Rst) != 0)
        {
            Close(time);
            return;
        }

        if ((flags & TcpFlags.Syn) != 0)
        {
            if (!half.Initialized) half.Start(sequence + 1);
            // The SYN takes one sequence number; data on a SYN (TCP Fast Open) starts after it.
            sequence++;
            var other = fromInitiator ? _responder : _initiator;
            if ((flags & TcpFlags.Ack) != 0 && !other.Initialized) other.Start(acknowledgment);
        }
        else if (!half.Initialized)
        {
            half.Start(sequence); // picked up mid-stream
        }

        bool fin = (flags & TcpFlags.Fin) != 0;
        if (!payload.IsEmpty) half.SawData = true;
        if (IsActive)
        {
            if (!payload.IsEmpty) OnPayload(half, sequence, payload, time);
            if (fin && IsActive)
            {
                half.FinSeen = true;
                half.FinSequence = sequence + (uint)payload.Length;
                MarkFinishedIfReached(half);
            }
        }

        if (fin && !IsActive) half.Finished = true;
        if (_initiator.Finished && _responder.Finished) Close(time);
    }

    /// <summary>Delivers everything still buffered, reporting the holes as gaps, then closes the analyzer once.</summary>
    public override void Close(DateTime time)
    {
        if (_state == TcpFlowState.Closed) return;
        if (IsActive)
        {
            FlushAtClose(_initiator, time);
            FlushAtClose(_responder, time);
        }

        ReleaseBuffers();
        var analyzer = _analyzer;
        _analyzer = null;
        _state = TcpFlowState.Closed;
        ReturnHalves();
        if (List is not null) _context.Ended.Add(this);
        try
        {
            analyzer?.OnClose(time);
        }
        catch (Exception ex)
        {
            _analyzer = analyzer;
            Fault("OnClose", ex, null, -1, time);
            return; // a faulted analyzer is not reused
        }
        (analyzer as IRecyclableAnalyzer)?.Recycle();
    }

    /// <summary>Stops waiting for missing bytes: reports each hole as a gap and delivers what was buffered.</summary>
    public void GiveUpHoles(DateTime time)
    {
        SkipAllHoles(_initiator, time);
        SkipAllHoles(_responder, time);
        // The stream may now reach both FINs: the connection has ended, as if its last segment had come in order.
        if (_initiator.Finished && _responder.Finished) Close(LastSeen);
    }

    private void OnPayload(TcpHalf half, uint sequence, ReadOnlySpan<byte> payload, DateTime time)
    {
        long ahead = (int)(sequence - half.Next);
        if (ahead < 0)
        {
            // Retransmission or overlap: only the bytes past the delivered ones are new.
            if (payload.Length <= -ahead) return;
            payload = payload[(int)-ahead..];
            ahead = 0;
        }

        if (ahead == 0) DeliverInOrder(half, payload, time);
        else Hold(half, sequence, payload, time);
    }

    private void DeliverInOrder(TcpHalf half, ReadOnlySpan<byte> data, DateTime time)
    {
        half.Next += (uint)data.Length;
        Emit(half, data, time);
        Drain(half, time);
        MarkFinishedIfReached(half);
    }

    private void Emit(TcpHalf half, ReadOnlySpan<byte> data, DateTime time)
    {
        long offset = half.OffsetOf(half.Next - (uint)data.Length);
        if (_state == TcpFlowState.Undecided)
        {
            _endpoints ??= CreateEndpoints("tcp");
            try
            {
                _analyzer = _context.Factory.CreateTcp(_endpoints, half.FromInitiator, data);
            }
            catch (Exception ex)
            {
                Fault("CreateTcp", ex, half, offset, time);
                return;
            }

            if (_analyzer is null)
            {
                BecomePassive();
                return;
            }

            _state = TcpFlowState.Analyzing;
            // Holes given up before there was an analyzer still happened: tell it where its bytes start.
            ReportEarlyGap(_initiator, time);
            ReportEarlyGap(_responder, time);
        }

        if (_state != TcpFlowState.Analyzing) return;
        try
        {
            _analyzer!.OnData(half.FromInitiator, data, time);
            if (!_analyzer.WantsMoreData) BecomePassive();
        }
        catch (Exception ex)
        {
            Fault("OnData", ex, half, offset, time);
        }
    }

    /// <summary>
    /// The guard around every analyzer call: whatever the bytes made the analyzer throw becomes a counted, named
    /// anomaly, the flow stops being analyzed (its state and buffers are dropped) and the scan goes on. Catching
    /// everything is the point: no packet may end a scan or a sensor.
    /// </summary>
    private void Fault(string call, Exception ex, TcpHalf? half, long offset, DateTime time)
    {
        string analyzer = _analyzer?.GetType().Name ?? "AnalyzerFactory";
        _endpoints ??= CreateEndpoints("tcp");
        var flow = _endpoints.AsFlowRef(half?.FromInitiator ?? true);
        _context.Stats.AddAnomaly(new ScanAnomaly($"{analyzer}.{call}:{ex.GetType().Name}",
            $"{flow.Client}:{flow.ClientPort} -> {flow.Server}:{flow.ServerPort}/tcp", offset, time));
        _analyzer = null;
        if (_state != TcpFlowState.Closed) BecomePassive();
    }

    /// <summary>Delivers pending segments that the stream has reached, trimming what was already delivered.</summary>
    private void Drain(TcpHalf half, DateTime time)
    {
        var pending = half.Pending;
        while (IsActive && pending is { Count: > 0 })
        {
            long ahead = (int)(pending.First.Sequence - half.Next);
            if (ahead > 0) return;
            var segment = pending.RemoveFirst();
            _context.Budget.Changed(this, -(segment.Length + PendingSegments.SegmentOverhead));
            if (-ahead < segment.Length)
            {
                var data = segment.Buffer.AsSpan((int)-ahead, segment.Length - (int)-ahead);
                half.Next += (uint)data.Length;
                Emit(half, data, time);
            }

            ArrayPool<byte>.Shared.Return(segment.Buffer);
        }
    }

    /// <summary>Buffers an out-of-order segment, giving up holes when the per-flow or total budget is full.</summary>
    private void Hold(TcpHalf half, uint sequence, ReadOnlySpan<byte> payload, DateTime time)
    {
        int cost = payload.Length + PendingSegments.SegmentOverhead;
        bool counted = false;
        while (IsActive)
        {
            long ahead = (int)(sequence - half.Next);
            if (ahead <= 0)
            {
                // Giving up holes caught the stream up with this segment.
                if (payload.Length > -ahead) DeliverInOrder(half, payload[(int)-ahead..], time);
                return;
            }

            if (BufferedBytes + cost <= _context.Options.MaxBufferedBytesPerFlow && _context.Budget.TryMakeRoom(this, cost, time))
            {
                var pending = half.Pending ??= new PendingSegments();
                _context.Budget.Changed(this, pending.Insert(half.Next, sequence, payload));
                return;
            }

            // The segment did not fit the budget as things stood: count it once (ScanStats.SegmentsDropped), then
            // make room the only way that keeps the stream going, by giving up the wait for the missing bytes.
            if (!counted)
            {
                _context.Stats.SegmentsDropped++;
                counted = true;
            }

            // Skip the earliest hole: before the first pending segment, or before this one if it comes first.
            var first = half.Pending is { Count: > 0 } p ? p.First.Sequence : sequence;
            if ((int)(sequence - first) < 0) first = sequence;
            SkipHole(half, first - half.Next, time);
        }
    }

    private void SkipHole(TcpHalf half, uint missing, DateTime time)
    {
        if ((int)missing > 0)
        {
            half.Next += missing;
            _context.Stats.GapBytes += missing;
            if (_state == TcpFlowState.Analyzing) Gap(half, missing, time);
            else half.UnreportedGap += missing;
        }

        Drain(half, time);
        MarkFinishedIfReached(half);
    }

    private void ReportEarlyGap(TcpHalf half, DateTime time)
    {
        if (half.UnreportedGap == 0 || _state != TcpFlowState.Analyzing) return;
        Gap(half, half.UnreportedGap, time);
        half.UnreportedGap = 0;
    }

    private void Gap(TcpHalf half, long missing, DateTime time)
    {
        try
        {
            _analyzer!.OnGap(half.FromInitiator, missing, time);
        }
        catch (Exception ex)
        {
            Fault("OnGap", ex, half, half.OffsetOf(half.Next), time);
        }
    }

    private void SkipAllHoles(TcpHalf half, DateTime time)
    {
        while (IsActive && half.Pending is { Count: > 0 } pending)
            SkipHole(half, pending.First.Sequence - half.Next, time);
    }

    private void FlushAtClose(TcpHalf half, DateTime time)
    {
        SkipAllHoles(half, time);
        if (IsActive && half.FinSeen && (int)(half.FinSequence - half.Next) > 0)
            SkipHole(half, half.FinSequence - half.Next, time);
    }

    private void MarkFinishedIfReached(TcpHalf half)
    {
        if (half.FinSeen && (int)(half.Next - half.FinSequence) >= 0) half.Finished = true;
    }

    private void BecomePassive()
    {
        _state = TcpFlowState.Passive;
        ReleaseBuffers();
        _initiator.Finished |= _initiator.FinSeen;
        _responder.Finished |= _responder.FinSeen;
    }

    /// <summary>A closed flow reads its halves no more (every path checks the state first): they serve the next flows.</summary>
    private void ReturnHalves()
    {
        _context.Halves.Return(_initiator);
        _context.Halves.Return(_responder);
        _initiator = _responder = TcpHalf.Released;
    }

    private void ReleaseBuffers()
    {
        int freed = (_initiator.Pending?.Clear() ?? 0) + (_responder.Pending?.Clear() ?? 0);
        _context.Budget.Changed(this, -freed);
    }
}
