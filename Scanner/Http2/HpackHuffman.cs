namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// Decodes HPACK Huffman strings (RFC 7541 section 5.2). The code is canonical, so a code of length n is found
/// by comparing the bits read so far with the first code of that length: no tree, no per-symbol allocation.
/// </summary>
internal static class HpackHuffman
{
    private const int MaxLength = 30;

    private static readonly uint[] FirstCode = new uint[MaxLength + 2];
    private static readonly int[] FirstIndex = new int[MaxLength + 2];
    private static readonly int[] CountOfLength = new int[MaxLength + 2];
    private static readonly ushort[] SymbolsByCode = BuildTables();

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/>: invalid when EOS is inside or the
    /// padding is longer than 7 bits or not all ones; too long when the output does not fit.
    /// </summary>
    public static HuffmanResult Decode(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        written = 0;
        uint code = 0;
        int length = 0;
        foreach (byte b in source)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | (uint)((b >> bit) & 1);
                length++;
                if (length > MaxLength) return HuffmanResult.Invalid;
                int offset = (int)(code - FirstCode[length]);
                if (CountOfLength[length] == 0 || code < FirstCode[length] || offset >= CountOfLength[length]) continue;
                int symbol = SymbolsByCode[FirstIndex[length] + offset];
                if (symbol == HpackHuffmanTable.Eos) return HuffmanResult.Invalid;
                if (written == destination.Length) return HuffmanResult.TooLong;
                destination[written++] = (byte)symbol;
                code = 0;
                length = 0;
            }
        }
        // Padding: the most significant bits of EOS, i.e. at most 7 one bits.
        return length <= 7 && code == (1u << length) - 1 ? HuffmanResult.Ok : HuffmanResult.Invalid;
    }

    private static ushort[] BuildTables()
    {
        var codes = HpackHuffmanTable.Codes;
        var lengths = HpackHuffmanTable.Lengths;
        var order = Enumerable.Range(0, codes.Length).ToArray();
        var lengthArray = lengths.ToArray();
        Array.Sort(order, (a, b) => lengthArray[a] != lengthArray[b] ? lengthArray[a] - lengthArray[b] : a - b);
        var symbols = new ushort[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            int symbol = order[i], length = lengths[symbol];
            symbols[i] = (ushort)symbol;
            if (CountOfLength[length]++ == 0)
            {
                FirstCode[length] = codes[symbol];
                FirstIndex[length] = i;
            }
        }
        return symbols;
    }
}
