using System.Numerics;
using ShadowMcp.Core.Hashing;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// How many distinct flows (5-tuples) one endpoint saw. Exact up to <see cref="ExactLimit"/> flows, kept as 64-bit
/// hashes so no flow's addresses stay alive after it ended; past that a HyperLogLog sketch of fixed size (64 KiB,
/// standard error 0.4 %) takes over, so an endpoint that serves millions of flows costs the same memory as one that
/// serves a hundred thousand. Adding and merging give the same state whatever the order (registers keep maxima),
/// so one thread and sharded scans count alike.
/// </summary>
internal sealed class DistinctFlows
{
    public const int ExactLimit = 65_536;
    private const int Precision = 16;
    private const int Registers = 1 << Precision;

    private HashSet<ulong>? _exact = [];
    private byte[]? _registers;

    /// <summary>True once the count is the sketch's estimate rather than exact.</summary>
    public bool IsEstimate => _registers is not null;

    public int Count => _registers is null ? _exact!.Count : Estimate(_registers);

    public void Add(FlowRef flow) => Add(Hash(flow));

    public void UnionWith(DistinctFlows other)
    {
        if (other._registers is { } theirs)
        {
            var mine = _registers ?? ToSketch();
            for (var i = 0; i < Registers; i++)
                if (theirs[i] > mine[i]) mine[i] = theirs[i];
            return;
        }
        foreach (var hash in other._exact!) Add(hash);
    }

    private void Add(ulong hash)
    {
        if (_registers is { } registers) Register(registers, hash);
        else if (_exact!.Add(hash) && _exact.Count > ExactLimit) ToSketch();
    }

    private byte[] ToSketch()
    {
        var registers = new byte[Registers];
        foreach (var hash in _exact!) Register(registers, hash);
        _exact = null;
        return _registers = registers;
    }

    private static void Register(byte[] registers, ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        // The rank of the first set bit in the remaining bits; the low marker bit caps it for an all-zero rest.
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
        if (rank > registers[index]) registers[index] = rank;
    }

    /// <summary>The HyperLogLog estimate, with linear counting where it is the better one (small counts).</summary>
    internal static int Estimate(byte[] registers)
    {
        double sum = 0;
        var zeros = 0;
        foreach (var r in registers)
        {
            sum += Math.ScaleB(1.0, -r);
            if (r == 0) zeros++;
        }
        double m = registers.Length, alpha = 0.7213 / (1 + 1.079 / m);
        var estimate = alpha * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0) estimate = m * Math.Log(m / zeros);
        return (int)Math.Min(int.MaxValue, Math.Round(estimate));
    }

    /// <summary>
    /// A fixed 64-bit hash of the 5-tuple (FNV-1a over the fields, then a 64-bit finaliser so every bit is mixed for
    /// the sketch). Not the runtime's randomised string hash: counts must not change from one run to the next.
    /// </summary>
    internal static ulong Hash(FlowRef flow)
    {
        var h = 0xcbf29ce484222325UL;
        h = Mix(h, flow.Client);
        h = Mix(h, flow.Server);
        h = Mix(h, flow.Protocol);
        h = (h ^ (uint)flow.ClientPort) * 0x100000001b3UL;
        h = (h ^ ((ulong)(uint)flow.ServerPort << 20)) * 0x100000001b3UL;
        return BitMixer.Mix64(h);
    }

    private static ulong Mix(ulong h, string text)
    {
        foreach (var c in text) h = (h ^ c) * 0x100000001b3UL;
        return (h ^ 0xff) * 0x100000001b3UL; // a separator, so "a"+"bc" and "ab"+"c" differ
    }
}
