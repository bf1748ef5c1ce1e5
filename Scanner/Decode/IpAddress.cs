using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Decode;

/// <summary>
/// An IPv4 or IPv6 address as two integers, so flow keys hash and compare without allocating. Text is made
/// only when a flow is kept (<see cref="ToString"/>).
/// </summary>
internal readonly struct IpAddress : IEquatable<IpAddress>, IComparable<IpAddress>
{
    private IpAddress(ulong high, ulong low, byte version)
    {
        High = high;
        Low = low;
        Version = version;
    }

    /// <summary>First 8 bytes of an IPv6 address (big-endian); 0 for IPv4.</summary>
    public ulong High { get; }
    /// <summary>Last 8 bytes of an IPv6 address, or the IPv4 address, big-endian.</summary>
    public ulong Low { get; }
    /// <summary>4 or 6.</summary>
    public byte Version { get; }

    public static IpAddress FromIpv4(ReadOnlySpan<byte> bytes) => new(0, BinaryPrimitives.ReadUInt32BigEndian(bytes), 4);

    public static IpAddress FromIpv6(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), 6);

    public static IpAddress Parse(string text)
    {
        var address = System.Net.IPAddress.Parse(text);
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? FromIpv4(address.GetAddressBytes())
            : FromIpv6(address.GetAddressBytes());
    }

    public bool Equals(IpAddress other) => Low == other.Low && High == other.High && Version == other.Version;

    public override bool Equals(object? obj) => obj is IpAddress other && Equals(other);

    // Each 32-bit half on its own: ulong.GetHashCode folds by XOR, which a sender choosing its IPv6 interface id can
    // make equal for any number of addresses, whatever HashCode's per-process seed.
    public override int GetHashCode() => HashCode.Combine((uint)High, (uint)(High >> 32), (uint)Low, (uint)(Low >> 32), Version);

    public int CompareTo(IpAddress other)
    {
        int byVersion = Version.CompareTo(other.Version);
        if (byVersion != 0) return byVersion;
        int byHigh = High.CompareTo(other.High);
        return byHigh != 0 ? byHigh : Low.CompareTo(other.Low);
    }

    /// <summary>Canonical text (dotted quad, or RFC 5952 for IPv6). Allocates.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (Version == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Low);
            return new System.Net.IPAddress(bytes[..4]).ToString();
        }

        BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Low);
        return new System.Net.IPAddress(bytes).ToString();
    }
}
