using System.Runtime.CompilerServices;

namespace ShadowMcp.Core.Hashing;

/// <summary>Hash finalisers shared by the packet path (flow sharding) and the aggregator (flow counting).</summary>
public static class BitMixer
{
    /// <summary>The finaliser of MurmurHash3: every input bit reaches every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix64(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }
}
