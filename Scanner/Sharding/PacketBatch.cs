using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// A run of consecutive packets, copied out of the reader's buffer, that every worker walks: a worker handles
/// the packets of its shard and only lets the capture clock tick on the others' (idle expiry). Each worker
/// writes its emissions for this run into its own list; the merger replays them and returns the batch to the
/// pool. Reused for the whole scan: nothing here is allocated per packet.
/// </summary>
internal sealed class PacketBatch
{
    // Small on purpose: observations made by workers live until the merger replays them, and with few packets in
    // flight (pool size x this) they die young instead of being promoted by every gen0 collection.
    public const int MaxPackets = 512;
    private const int InitialBytes = 512 << 10;

    private readonly int _shards;
    // Monitor Wait/Pulse needs a plain object, not a System.Threading.Lock.
    private readonly object _lock = new();
    private int _pending;

    public PacketBatch(int shards)
    {
        Outputs = new List<ShardEvent>[shards];
        Replayed = new List<ShardEvent>[shards];
        MemoryAfter = new long[shards][];
        for (var i = 0; i < shards; i++)
        {
            Outputs[i] = [];
            Replayed[i] = [];
            MemoryAfter[i] = new long[MaxPackets];
        }
        Faults = new Exception?[shards];
        StatsAt = new ScanStats?[shards];
        _shards = _pending = shards;
    }

    public byte[] Data { get; private set; } = new byte[InitialBytes];
    public int Used { get; private set; }
    public int Count { get; private set; }

    /// <summary>Capture sequence number of the first packet (0-based over the file).</summary>
    public long FirstSequence { get; set; }

    /// <summary>The end of input: workers close every flow after this batch's packets.</summary>
    public bool Final { get; set; }

    /// <summary>
    /// A flush point (live capture): after this batch each worker copies its counters into <see cref="StatsAt"/>, and
    /// the merger hands the mark on once it has replayed the batch, i.e. with everything read before it.
    /// </summary>
    public object? Mark { get; set; }

    /// <summary>Each worker's counters as of the end of this batch; set only on a <see cref="Mark"/>ed batch.</summary>
    public ScanStats?[] StatsAt { get; }

    public readonly int[] Offsets = new int[MaxPackets];
    public readonly int[] Lengths = new int[MaxPackets];
    public readonly int[] LinkTypes = new int[MaxPackets];
    public readonly DateTime[] Times = new DateTime[MaxPackets];
    /// <summary>The shard that handles the packet.</summary>
    public readonly int[] Owners = new int[MaxPackets];
    /// <summary>True when the packet reaches the flow table, so every shard sweeps idle flows at its time.</summary>
    public readonly bool[] Ticks = new bool[MaxPackets];
    /// <summary>The reader's decode of each frame, which the owner uses instead of decoding it again.</summary>
    public readonly DecodedFrame[] Decoded = new DecodedFrame[MaxPackets];
    /// <summary>What decoding a frame threw, if it did (rare; kept apart so <see cref="Decoded"/> holds no reference).</summary>
    public readonly Exception?[] DecodeFaults = new Exception?[MaxPackets];
    private bool _decodeFaults;

    /// <summary>
    /// Each worker's flow-state memory after each ticking packet: their sum is what the one flow table of a
    /// one-thread scan would hold at that packet, so the merger finds the same peak.
    /// </summary>
    public long[][] MemoryAfter { get; }

    /// <summary>Each worker's emissions for this batch, in its own order.</summary>
    public List<ShardEvent>[] Outputs { get; }

    /// <summary>
    /// Per shard, what it emitted into this batch the time before, already replayed by the merger: the worker gives
    /// those observations back to its pool (<see cref="ShardRecorder.Recycle"/>) before it writes into the batch again.
    /// </summary>
    public List<ShardEvent>[] Replayed { get; }

    /// <summary>What stopped a worker on this batch, if anything.</summary>
    public Exception?[] Faults { get; }

    public bool IsFull => Count == MaxPackets;

    /// <summary>False when the frame does not fit in what is left (the batch should go first).</summary>
    public bool TryAdd(ReadOnlySpan<byte> frame, int linkType, DateTime time, int owner, in DecodedFrame decoded,
        Exception? decodeFault = null)
    {
        if (Count == MaxPackets) return false;
        if (Used + frame.Length > Data.Length)
        {
            if (Count > 0) return false;
            Data = new byte[Math.Max(frame.Length, InitialBytes)];
        }
        frame.CopyTo(Data.AsSpan(Used));
        Offsets[Count] = Used;
        Lengths[Count] = frame.Length;
        LinkTypes[Count] = linkType;
        Times[Count] = time;
        Owners[Count] = owner;
        Ticks[Count] = decoded.ReachesFlows;
        Decoded[Count] = decoded;
        if (decodeFault is not null)
        {
            DecodeFaults[Count] = decodeFault;
            _decodeFaults = true;
        }
        Used += frame.Length;
        Count++;
        return true;
    }

    public ReadOnlySpan<byte> Frame(int index) => Data.AsSpan(Offsets[index], Lengths[index]);

    /// <summary>A worker is done with this batch.</summary>
    public void Done()
    {
        lock (_lock)
        {
            if (--_pending == 0) Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Waits until every worker is done with this batch.</summary>
    public void WaitAll()
    {
        lock (_lock)
        {
            while (_pending > 0) Monitor.Wait(_lock);
        }
    }

    /// <summary>Empties the batch for reuse.</summary>
    public void Reset()
    {
        if (_decodeFaults) Array.Clear(DecodeFaults);
        _decodeFaults = false;
        Used = 0;
        Count = 0;
        Final = false;
        Mark = null;
        FirstSequence = 0;
        // The merger is done with the emissions: they become the shard's to recycle, and its emptied list of the
        // time before takes the next ones. A list a worker did not empty (it faulted) is dropped, not replayed again.
        for (var s = 0; s < Outputs.Length; s++)
        {
            var replayed = Replayed[s];
            replayed.Clear();
            Replayed[s] = Outputs[s];
            Outputs[s] = replayed;
        }
        Array.Clear(Faults);
        Array.Clear(StatsAt);
        lock (_lock) _pending = _shards;
    }
}
