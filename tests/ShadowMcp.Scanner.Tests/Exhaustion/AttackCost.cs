using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Tests.Decode.Builders;

namespace ShadowMcp.Scanner.Tests.Exhaustion;

/// <summary>
/// What one connection's bytes cost the sensor, by counters only: bytes allocated on the scanning thread per payload
/// byte, observations, the scan's own memory accounting. The connection is replayed twice on fresh processors and
/// the second run is measured, so one-time costs (JIT, statics, shared tables) are not charged to the traffic.
/// </summary>
internal static class AttackCost
{
    internal sealed record Cost(long Allocated, long PayloadBytes, int Observations, ScanStats Stats, AnalyzerCounters Counters)
    {
        public double PerByte => (double)Allocated / PayloadBytes;

        public override string ToString() =>
            $"{Allocated:N0} B allocated for {PayloadBytes:N0} payload bytes ({PerByte:F3} B/byte), {Observations:N0} observations, "
            + $"memory peak {Stats.MemoryPeakBytes:N0} B";
    }

    private sealed class CountingSink : IObservationSink
    {
        public int Count { get; private set; }

        public void Emit(Observation observation) => Count++;

        // As the CLI's classifying sink: done with each observation when Emit returns.
        public bool KeepsObservations => false;
    }

    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A TCP connection (handshake, then the client's and the server's bytes in turns of <paramref name="segment"/> bytes).</summary>
    public static Cost Connection(byte[] client, byte[] server, ushort serverPort = 80, int segment = 1400)
    {
        var conversation = new TcpConversation(serverPort: serverPort);
        var frames = new List<byte[]>
        {
            conversation.FromClient(1000, "", TcpFlags.Syn),
            conversation.FromServer(5000, "", TcpFlags.Syn | TcpFlags.Ack, 1001),
        };
        uint clientNext = 1001, serverNext = 5001;
        for (int c = 0, s = 0; c < client.Length || s < server.Length;)
        {
            if (c < client.Length)
            {
                int n = Math.Min(segment, client.Length - c);
                frames.Add(conversation.FromClient(clientNext, client.AsSpan(c, n).ToArray()));
                clientNext += (uint)n;
                c += n;
            }
            if (s < server.Length)
            {
                int n = Math.Min(segment, server.Length - s);
                frames.Add(conversation.FromServer(serverNext, server.AsSpan(s, n).ToArray()));
                serverNext += (uint)n;
                s += n;
            }
        }
        return Frames(frames, client.Length + server.Length);
    }

    /// <summary>A TCP connection (handshake, then each turn's client bytes and server bytes, one segment each).</summary>
    public static Cost Turns(IReadOnlyList<(byte[] Client, byte[] Server)> turns, ushort serverPort = 80)
    {
        var conversation = new TcpConversation(serverPort: serverPort);
        var frames = new List<byte[]>
        {
            conversation.FromClient(1000, "", TcpFlags.Syn),
            conversation.FromServer(5000, "", TcpFlags.Syn | TcpFlags.Ack, 1001),
        };
        uint clientNext = 1001, serverNext = 5001;
        long payload = 0;
        foreach (var (client, server) in turns)
        {
            if (client.Length > 0) frames.Add(conversation.FromClient(clientNext, client));
            if (server.Length > 0) frames.Add(conversation.FromServer(serverNext, server));
            clientNext += (uint)client.Length;
            serverNext += (uint)server.Length;
            payload += client.Length + server.Length;
        }
        return Frames(frames, payload);
    }

    /// <summary>Ethernet frames; the first is fed before counting starts (it creates the flow).</summary>
    public static Cost Frames(List<byte[]> frames, long payloadBytes)
    {
        Run(frames, payloadBytes); // warm-up: JIT, statics, shared string tables
        return Run(frames, payloadBytes);
    }

    private static Cost Run(List<byte[]> frames, long payloadBytes)
    {
        var sink = new CountingSink();
        var stats = new ScanStats();
        var factory = new DefaultAnalyzerFactory(sink, "attack.pcap");
        var processor = new PacketProcessor(factory, stats);
        var time = T0;
        processor.OnFrame(frames[0], LinkTypes.Ethernet, time);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i < frames.Count; i++) processor.OnFrame(frames[i], LinkTypes.Ethernet, time = time.AddTicks(10));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        processor.Finish();
        return new Cost(allocated, payloadBytes, sink.Count, stats, factory.Counters);
    }
}
