using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// The per-packet path shared by file and live capture: decode the frame, count it, hand TCP and UDP to the
/// flow table. Allocates nothing for packets of flows no analyzer wants.
/// </summary>
internal sealed class PacketProcessor
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

    public void OnFrame(ReadOnlySpan<byte> frame, int linkType, DateTime time)
    {
        _stats.Packets++;
        _stats.Bytes += frame.Length;
        try
        {
            Dispatch(frame, linkType, time);
        }
        catch (Exception ex)
        {
            // Analyzer calls have their own guard; this one catches a fault in decoding or reassembly, so that no
            // frame can end a scan or a sensor. The frame is lost and named.
            _stats.AddAnomaly(new ScanAnomaly($"PacketProcessor.OnFrame:{ex.GetType().Name}", "frame", -1, time));
        }
    }

    private void Dispatch(ReadOnlySpan<byte> frame, int linkType, DateTime time)
    {
        switch (PacketDecoder.Decode(frame, linkType, out var packet))
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

    /// <summary>End of input: closes every flow so analyzers flush.</summary>
    public void Finish() => _flows.CloseAll();
}
