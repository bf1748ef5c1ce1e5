using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// The per-packet path shared by file and live capture: decode the frame, count it, hand TCP and UDP to the
/// flow table. Allocates nothing for packets of flows no analyzer wants.
/// </summary>
internal sealed class PacketProcessor : IFrameSink
{
    private readonly ScanStats _stats;
    private readonly FlowTable _flows;

    public PacketProcessor(IAnalyzerFactory factory, ScanStats stats, ReassemblyOptions? options = null,
        Sharding.EmissionClock? clock = null)
    {
        options ??= new ReassemblyOptions();
        options.Validate();
        _stats = stats;
        _flows = new FlowTable(new ReassemblyContext(factory, stats, options, clock));
    }

    /// <summary>What the flow state is charged now (flows, analyzer buffers, out-of-order bytes).</summary>
    public long MemoryUsed => _flows.MemoryUsed;

    /// <summary>Flows currently tracked.</summary>
    public int FlowCount => _flows.Count;

    /// <summary>
    /// The earliest capture time (in ticks) at which a flow can be idle for longer than the timeout;
    /// <see cref="long.MaxValue"/> with no flow. A sweep at a time not past it closes nothing.
    /// </summary>
    public long IdleDeadlineTicks => _flows.IdleDeadlineTicks;

    public void OnFrame(ReadOnlySpan<byte> frame, int linkType, DateTime time)
    {
        Count(frame);
        try
        {
            var status = PacketDecoder.Decode(frame, linkType, out var packet);
            Dispatch(status, packet, time);
        }
        catch (Exception ex)
        {
            Fault(ex, time);
        }
    }

    /// <summary>
    /// A frame the reader of a sharded scan already decoded (<paramref name="decodeFault"/>: what that decode threw):
    /// the same as <see cref="OnFrame"/>, one decode less.
    /// </summary>
    public void OnDecoded(ReadOnlySpan<byte> frame, in Sharding.DecodedFrame decoded, Exception? decodeFault, DateTime time)
    {
        Count(frame);
        if (decodeFault is not null)
        {
            Fault(decodeFault, time);
            return;
        }
        try
        {
            Dispatch(decoded.Status, decoded.ToPacket(frame), time);
        }
        catch (Exception ex)
        {
            Fault(ex, time);
        }
    }

    private void Count(ReadOnlySpan<byte> frame)
    {
        _stats.Packets++;
        _stats.Bytes += frame.Length;
    }

    // Analyzer calls have their own guard; this one catches a fault in decoding or reassembly, so that no frame can
    // end a scan or a sensor. The frame is lost and named.
    private void Fault(Exception ex, DateTime time) =>
        _stats.AddAnomaly(new ScanAnomaly($"PacketProcessor.OnFrame:{ex.GetType().Name}", "frame", -1, time));

    private void Dispatch(DecodeStatus status, in DecodedPacket packet, DateTime time)
    {
        switch (status)
        {
            case DecodeStatus.Transport:
                if (packet.IsFragment) _stats.Fragments++;
                if (packet.Protocol == DecodedPacket.Tcp) _flows.OnTcp(packet, time);
                // A UDP datagram's first fragment is incomplete; analyzers expect whole messages.
                else if (!packet.IsFragment) _flows.OnUdp(packet, time);
                break;
            case DecodeStatus.Fragment:
                _stats.Fragments++;
                break;
            case DecodeStatus.Malformed:
                _stats.Malformed++;
                break;
        }
    }

    /// <summary>
    /// Another shard's packet at <paramref name="time"/> reached its flow table: sweep idle flows here too, as the
    /// one flow table of a one-thread scan would have.
    /// </summary>
    public void Tick(DateTime time)
    {
        try
        {
            _flows.ExpireIdle(time);
        }
        catch (Exception ex)
        {
            _stats.AddAnomaly(new ScanAnomaly($"PacketProcessor.Tick:{ex.GetType().Name}", "frame", -1, time));
        }
    }

    /// <summary>Another shard's packet at <paramref name="time"/> reached its flow table and sweeps nothing here: only the clock moves.</summary>
    public void Witness(DateTime time) => _flows.Witness(time);

    /// <summary>End of input: closes every flow so analyzers flush.</summary>
    public void Finish() => _flows.CloseAll();
}
