using System.Text;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http2;

/// <summary>Builds HTTP/2 frames and HPACK blocks (literals, with or without indexing) for analyzer tests.</summary>
internal static class H2
{
    public static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    public static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        frame[5] = (byte)(stream >> 24);
        frame[6] = (byte)(stream >> 16);
        frame[7] = (byte)(stream >> 8);
        frame[8] = (byte)stream;
        payload.CopyTo(frame, 9);
        return frame;
    }

    public static byte[] Settings() => Frame(0x4, 0, 0, [0, 3, 0, 0, 0, 100]);

    public static byte[] SettingsAck() => Frame(0x4, 1, 0, []);

    public static byte[] Headers(int stream, byte[] block, bool endStream = false) =>
        Frame(0x1, (byte)(0x4 | (endStream ? 1 : 0)), stream, block);

    public static byte[] Data(int stream, string text, bool endStream = false) =>
        Frame(0x0, (byte)(endStream ? 1 : 0), stream, Encoding.UTF8.GetBytes(text));

    public static byte[] Data(int stream, byte[] data, bool endStream = false) =>
        Frame(0x0, (byte)(endStream ? 1 : 0), stream, data);

    public static byte[] PaddedData(int stream, string text, int padding, bool endStream = false)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var payload = new byte[1 + body.Length + padding];
        payload[0] = (byte)padding;
        body.CopyTo(payload, 1);
        return Frame(0x0, (byte)(0x8 | (endStream ? 1 : 0)), stream, payload);
    }

    /// <summary>Literal header fields without indexing, new names (RFC 7541 6.2.2).</summary>
    public static byte[] Block(params (string Name, string Value)[] fields)
    {
        var block = new List<byte>();
        foreach (var (name, value) in fields)
        {
            block.Add(0x00);
            AddString(block, name);
            AddString(block, value);
        }
        return block.ToArray();
    }

    /// <summary>A literal header field with incremental indexing (RFC 7541 6.2.1), new name.</summary>
    public static byte[] Indexed(string name, string value)
    {
        var block = new List<byte> { 0x40 };
        AddString(block, name);
        AddString(block, value);
        return block.ToArray();
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static Segment Client(params byte[][] parts) => Segment.Client(Concat(parts));

    public static Segment Server(params byte[][] parts) => Segment.Server(Concat(parts));

    public static void AddInteger(List<byte> block, int prefixBits, byte firstBits, int value)
    {
        int max = (1 << prefixBits) - 1;
        if (value < max)
        {
            block.Add((byte)(firstBits | value));
            return;
        }
        block.Add((byte)(firstBits | max));
        value -= max;
        while (value >= 128)
        {
            block.Add((byte)(value % 128 + 128));
            value /= 128;
        }
        block.Add((byte)value);
    }

    private static void AddString(List<byte> block, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AddInteger(block, 7, 0, bytes.Length);
        block.AddRange(bytes);
    }
}
