using ShadowMcp.Scanner.Http2;

namespace ShadowMcp.Scanner.Tests.Http2;

/// <summary>How one header field is written (RFC 7541 section 6).</summary>
internal enum HpackForm { Indexed, WithIndexing, WithoutIndexing, NeverIndexed }

/// <summary>One field to encode: the field, its representation, and whether name and value are Huffman coded.</summary>
internal sealed record HpackOp(int Field, HpackForm Form, bool HuffmanName, bool HuffmanValue);

/// <summary>
/// A test-side HPACK encoder with its own model of the dynamic table (section 4), written from the RFC and not
/// from the decoder: it indexes fields it knows are in either table and evicts as the RFC says, so a decoder that
/// disagrees about the table decodes a different header list.
/// </summary>
internal sealed class HpackModelEncoder(int maxTableSize)
{
    private readonly List<(byte[] Name, byte[] Value)> _dynamic = []; // newest first
    private int _maxSize = maxTableSize;

    public int Count => _dynamic.Count;

    public int Size => _dynamic.Sum(e => e.Name.Length + e.Value.Length + 32);

    public void SizeUpdate(List<byte> block, int size)
    {
        H2.AddInteger(block, 5, 0x20, size);
        _maxSize = size;
        Evict(0);
    }

    public void Encode(List<byte> block, (byte[] Name, byte[] Value) field, HpackOp op)
    {
        int exact = IndexOf(field, matchValue: true);
        if (op.Form == HpackForm.Indexed && exact > 0)
        {
            H2.AddInteger(block, 7, 0x80, exact);
            return;
        }
        var form = op.Form == HpackForm.Indexed ? HpackForm.WithIndexing : op.Form;
        var (prefix, first) = form switch
        {
            HpackForm.WithIndexing => (6, (byte)0x40),
            HpackForm.WithoutIndexing => (4, (byte)0x00),
            _ => (4, (byte)0x10),
        };
        int nameIndex = IndexOf(field, matchValue: false);
        H2.AddInteger(block, prefix, first, nameIndex);
        if (nameIndex == 0) AddString(block, field.Name, op.HuffmanName);
        AddString(block, field.Value, op.HuffmanValue);
        if (form == HpackForm.WithIndexing) Add(field);
    }

    /// <summary>A string literal (section 5.2), Huffman coded with the code of Appendix B or raw.</summary>
    public static void AddString(List<byte> block, byte[] text, bool huffman)
    {
        var bytes = huffman ? HuffmanEncode(text) : text;
        H2.AddInteger(block, 7, huffman ? (byte)0x80 : (byte)0, bytes.Length);
        block.AddRange(bytes);
    }

    /// <summary>Appendix B codes, most significant bit first; the last byte is padded with ones (EOS prefix).</summary>
    public static byte[] HuffmanEncode(ReadOnlySpan<byte> text)
    {
        var output = new List<byte>();
        ulong bits = 0;
        int count = 0;
        foreach (byte b in text)
        {
            int length = HpackHuffmanTable.Lengths[b];
            bits = (bits << length) | HpackHuffmanTable.Codes[b];
            count += length;
            while (count >= 8)
            {
                count -= 8;
                output.Add((byte)(bits >> count));
            }
            bits &= (1UL << count) - 1;
        }
        if (count > 0) output.Add((byte)((bits << (8 - count)) | (0xFFu >> count)));
        return output.ToArray();
    }

    private int IndexOf((byte[] Name, byte[] Value) field, bool matchValue)
    {
        for (int i = 1; i <= HpackStaticTable.Count; i++)
        {
            var entry = HpackStaticTable.Get(i);
            if (Matches(entry, field, matchValue)) return i;
        }
        for (int i = 0; i < _dynamic.Count; i++)
        {
            var entry = _dynamic[i];
            if (Matches(entry, field, matchValue)) return HpackStaticTable.Count + 1 + i;
        }
        return 0;
    }

    private static bool Matches((byte[] Name, byte[] Value) entry, (byte[] Name, byte[] Value) field, bool matchValue) =>
        entry.Name.AsSpan().SequenceEqual(field.Name)
        && (!matchValue || entry.Value.AsSpan().SequenceEqual(field.Value));

    private void Add((byte[] Name, byte[] Value) field)
    {
        int size = field.Name.Length + field.Value.Length + 32;
        if (size > _maxSize)
        {
            _dynamic.Clear();
            return;
        }
        Evict(size);
        _dynamic.Insert(0, field);
    }

    private void Evict(int room)
    {
        while (_dynamic.Count > 0 && Size + room > _maxSize) _dynamic.RemoveAt(_dynamic.Count - 1);
    }
}
