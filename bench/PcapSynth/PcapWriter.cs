using System.Buffers.Binary;

namespace PcapSynth;

/// <summary>Writes classic little-endian µs pcap with Ethernet framing; frames are built in one reused buffer.</summary>
internal sealed class PcapWriter : IDisposable
{
    private readonly Stream _out;
    private readonly byte[] _frame = new byte[70000];
    public long Packets { get; private set; }

    public PcapWriter(string path)
    {
        _out = new BufferedStream(File.Create(path), 1 << 20);
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], 1);
        _out.Write(h);
    }

    public void Tcp(long timeUs, uint src, ushort sport, uint dst, ushort dport, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload)
    {
        int len = 14 + 20 + 20 + payload.Length;
        var f = _frame.AsSpan(0, len);
        Ethernet(f);
        Ipv4(f[14..], 6, 40 + payload.Length, src, dst);
        var t = f[34..];
        BinaryPrimitives.WriteUInt16BigEndian(t, sport);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], dport);
        BinaryPrimitives.WriteUInt32BigEndian(t[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(t[8..], ack);
        t[12] = 5 << 4;
        t[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(t[14..], 65535);
        t[16] = t[17] = t[18] = t[19] = 0;
        payload.CopyTo(t[20..]);
        Record(timeUs, f);
    }

    public void Udp(long timeUs, uint src, ushort sport, uint dst, ushort dport, ReadOnlySpan<byte> payload)
    {
        int len = 14 + 20 + 8 + payload.Length;
        var f = _frame.AsSpan(0, len);
        Ethernet(f);
        Ipv4(f[14..], 17, 28 + payload.Length, src, dst);
        var u = f[34..];
        BinaryPrimitives.WriteUInt16BigEndian(u, sport);
        BinaryPrimitives.WriteUInt16BigEndian(u[2..], dport);
        BinaryPrimitives.WriteUInt16BigEndian(u[4..], (ushort)(8 + payload.Length));
        u[6] = u[7] = 0;
        payload.CopyTo(u[8..]);
        Record(timeUs, f);
    }

    private static void Ethernet(Span<byte> f)
    {
        f[..12].Fill(0x02);
        f[5] = 1; f[11] = 2;
        f[12] = 0x08; f[13] = 0x00;
    }

    private static void Ipv4(Span<byte> ip, byte proto, int totalLength, uint src, uint dst)
    {
        ip[0] = 0x45; ip[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)totalLength);
        ip[4] = ip[5] = 0; ip[6] = 0x40; ip[7] = 0; ip[8] = 64; ip[9] = proto; ip[10] = ip[11] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], src);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        uint sum = 0;
        for (int i = 0; i < 20; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
    }

    private void Record(long timeUs, ReadOnlySpan<byte> frame)
    {
        Span<byte> h = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)(timeUs / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)(timeUs % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], (uint)frame.Length);
        _out.Write(h);
        _out.Write(frame);
        Packets++;
    }

    public void Dispose() => _out.Dispose();
}
