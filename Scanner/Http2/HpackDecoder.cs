namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// HPACK (RFC 7541) for one direction of a connection: indexed fields, literals with and without indexing,
/// never-indexed literals, table size updates, Huffman strings. Bounded: the dynamic table by
/// <c>maxTableSize</c>, the decoded header list (names, values and 32 octets each, as SETTINGS_MAX_HEADER_LIST_SIZE
/// counts) by <c>maxHeaderListSize</c>. A list over the limit stops delivering fields but keeps decoding, so the
/// dynamic table stays in step with the encoder and later blocks still decode.
/// </summary>
internal sealed class HpackDecoder
{
    private const int DefaultTableSize = 4096;

    private readonly int _maxTableSize;
    private readonly int _maxHeaderListSize;
    private readonly HpackDynamicTable _table;
    private byte[] _scratch = [];
    private string?[]? _staticTexts;
    // The static entries' texts: the array and its short strings (the longest static value has 13 chars); roughly.
    private const int StaticTextsBytes = HpackStaticTable.Count * 48;

    /// <summary>The dynamic table's buffers, the scratch buffer and the static entries' texts.</summary>
    public int HeldBytes => _table.HeldBytes + _scratch.Length + (_staticTexts is null ? 0 : StaticTextsBytes);

    public HpackDecoder(int maxTableSize, int maxHeaderListSize)
    {
        _maxTableSize = maxTableSize;
        _maxHeaderListSize = maxHeaderListSize;
        _table = new HpackDynamicTable(Math.Min(DefaultTableSize, maxTableSize));
    }

    /// <summary>The dynamic table, for tests.</summary>
    internal HpackDynamicTable Table => _table;

    public HpackStatus Decode(ReadOnlySpan<byte> block, IHpackHeaderSink sink)
    {
        long listSize = 0;
        bool tooLarge = false;
        while (!block.IsEmpty)
        {
            byte first = block[0];
            if ((first & 0x80) != 0)
            {
                if (!TryReadInteger(ref block, 7, out int index) || !TryGet(index, out var fieldName, out var fieldValue))
                    return HpackStatus.Malformed;
                if (index > HpackStaticTable.Count)
                    DeliverIndexed(fieldName, fieldValue, ref _table.Text(index - HpackStaticTable.Count), sink, ref listSize, ref tooLarge);
                else DeliverIndexed(fieldName, fieldValue, ref StaticText(index), sink, ref listSize, ref tooLarge, inTable: false);
                continue;
            }
            if ((first & 0xE0) == 0x20)
            {
                if (!TryReadInteger(ref block, 5, out int size)) return HpackStatus.Malformed;
                if (size > _maxTableSize) return HpackStatus.TableTooLarge;
                _table.SetMaxSize(size);
                continue;
            }
            bool indexing = (first & 0xC0) == 0x40;
            if (!TryReadInteger(ref block, indexing ? 6 : 4, out int nameIndex)) return HpackStatus.Malformed;
            // Name and value share the scratch buffer: the name first, the value after it.
            int nameLength;
            bool nameFits = true;
            if (nameIndex == 0)
            {
                if (!TryReadString(ref block, 0, out nameLength, out nameFits)) return HpackStatus.Malformed;
            }
            else
            {
                if (!TryGet(nameIndex, out var named, out _)) return HpackStatus.Malformed;
                EnsureScratch(named.Length);
                named.CopyTo(_scratch);
                nameLength = named.Length;
            }
            if (!TryReadString(ref block, nameLength, out int valueLength, out bool valueFits)) return HpackStatus.Malformed;
            var name = _scratch.AsSpan(0, nameLength);
            var value = _scratch.AsSpan(nameLength, valueLength);
            if (!nameFits || !valueFits)
            {
                // Longer than any limit: cannot be delivered, and an entry this large empties the table (section 4.4).
                tooLarge = true;
                if (indexing) _table.Clear();
                continue;
            }
            Deliver(name, value, sink, ref listSize, ref tooLarge);
            if (indexing) _table.Add(name, value);
        }
        return tooLarge ? HpackStatus.HeaderListTooLarge : HpackStatus.Ok;
    }

    private void Deliver(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, IHpackHeaderSink sink, ref long listSize, ref bool tooLarge)
    {
        listSize += name.Length + value.Length + HpackDynamicTable.EntryOverhead;
        if (listSize > _maxHeaderListSize) tooLarge = true;
        if (!tooLarge) sink.OnHeader(name, value);
    }

    private void DeliverIndexed(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref string? text, IHpackHeaderSink sink,
        ref long listSize, ref bool tooLarge, bool inTable = true)
    {
        listSize += name.Length + value.Length + HpackDynamicTable.EntryOverhead;
        if (listSize > _maxHeaderListSize) tooLarge = true;
        if (tooLarge) return;
        bool made = text is not null;
        sink.OnIndexedHeader(name, value, ref text);
        if (!made && text is not null && inTable) _table.TextMade(text);
    }

    // The sink's text of each static entry it was given, made at its first reference on this connection: without it
    // ":method GET" or ":status 200" became a new string at every reference, most of what a minimal stream cost.
    private ref string? StaticText(int index) => ref (_staticTexts ??= new string?[HpackStaticTable.Count])[index - 1];

    private bool TryGet(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = value = default;
        if (index <= 0) return false;
        if (index <= HpackStaticTable.Count)
        {
            (var staticName, var staticValue) = HpackStaticTable.Get(index);
            name = staticName;
            value = staticValue;
            return true;
        }
        index -= HpackStaticTable.Count;
        if (index > _table.Count) return false;
        _table.Get(index, out name, out value);
        return true;
    }

    /// <summary>Reads a string literal into the scratch buffer at <paramref name="at"/>; skips one over the limit.</summary>
    private bool TryReadString(ref ReadOnlySpan<byte> block, int at, out int length, out bool fits)
    {
        length = 0;
        fits = true;
        if (block.IsEmpty) return false;
        bool huffman = (block[0] & 0x80) != 0;
        if (!TryReadInteger(ref block, 7, out int raw) || raw > block.Length) return false;
        var literal = block[..raw];
        block = block[raw..];
        int limit = Math.Max(_maxHeaderListSize, _maxTableSize);
        if (raw > limit && !huffman)
        {
            fits = false;
            return true;
        }
        // Huffman codes are at least 5 bits long, so the decoded string is at most 8/5 of the literal.
        int room = huffman ? (int)Math.Min((long)raw * 8 / 5 + 1, limit + 1L) : raw;
        EnsureScratch(at + room);
        var destination = _scratch.AsSpan(at, room);
        if (!huffman)
        {
            literal.CopyTo(destination);
            length = raw;
            return true;
        }
        switch (HpackHuffman.Decode(literal, destination, out length))
        {
            case HuffmanResult.Ok:
                fits = length <= limit;
                return true;
            case HuffmanResult.TooLong:
                fits = false;
                return true;
            default:
                return false;
        }
    }

    private void EnsureScratch(int size)
    {
        if (_scratch.Length >= size) return;
        var bigger = new byte[Math.Max(size, Math.Max(256, _scratch.Length * 2))];
        _scratch.CopyTo(bigger, 0);
        _scratch = bigger;
    }

    /// <summary>An N-bit prefix integer (section 5.1); false when truncated or larger than an int.</summary>
    internal static bool TryReadInteger(ref ReadOnlySpan<byte> block, int prefixBits, out int value)
    {
        value = 0;
        if (block.IsEmpty) return false;
        int max = (1 << prefixBits) - 1;
        value = block[0] & max;
        int i = 1;
        if (value == max)
        {
            long total = max;
            int shift = 0;
            while (true)
            {
                if (i == block.Length || shift > 28) return false;
                byte b = block[i++];
                total += (long)(b & 0x7F) << shift;
                if (total > int.MaxValue) return false;
                shift += 7;
                if ((b & 0x80) == 0) break;
            }
            value = (int)total;
        }
        block = block[i..];
        return true;
    }
}
