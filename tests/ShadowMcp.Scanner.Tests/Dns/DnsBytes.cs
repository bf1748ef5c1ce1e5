using System.Text;

namespace ShadowMcp.Scanner.Tests.Dns;

/// <summary>Builds DNS wire messages by hand for the tests.</summary>
internal sealed class DnsBytes
{
    private readonly List<byte> _bytes = [];

    public int Position => _bytes.Count;

    public static DnsBytes Header(ushort id, ushort flags, int questions, int answers) =>
        new DnsBytes().U16(id).U16(flags).U16(questions).U16(answers).U16(0).U16(0);

    public DnsBytes U16(int value)
    {
        _bytes.Add((byte)(value >> 8));
        _bytes.Add((byte)value);
        return this;
    }

    public DnsBytes U32(uint value) => U16((int)(value >> 16)).U16((int)(value & 0xFFFF));

    public DnsBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>A name as labels, ending with a zero byte or with a pointer to an earlier offset.</summary>
    public DnsBytes Name(string name, int? pointer = null)
    {
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            _bytes.Add((byte)label.Length);
            _bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        if (pointer is int p) U16(0xC000 | p);
        else _bytes.Add(0);
        return this;
    }

    public DnsBytes Pointer(int offset) => U16(0xC000 | offset);

    /// <summary>An answer record header (class IN, TTL 60) followed by its data.</summary>
    public DnsBytes Answer(Action<DnsBytes> owner, int type, byte[] rdata)
    {
        owner(this);
        U16(type).U16(1).U32(60).U16(rdata.Length);
        return Raw(rdata);
    }

    public byte[] ToArray() => [.. _bytes];

    /// <summary>The bytes of a name alone, for use as record data.</summary>
    public static byte[] NameData(string name, int? pointer = null) => new DnsBytes().Name(name, pointer).ToArray();
}
