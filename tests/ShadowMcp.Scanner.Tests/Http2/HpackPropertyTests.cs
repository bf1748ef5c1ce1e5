using System.Text;
using CsCheck;
using ShadowMcp.Scanner.Http2;
using ShadowMcp.Scanner.Tests.Properties;

namespace ShadowMcp.Scanner.Tests.Http2;

/// <summary>
/// Round trips through the HPACK decoder: prefix integers, Huffman strings and whole header-block sequences written
/// by <see cref="HpackModelEncoder"/> in every representation, so indexing, eviction and size updates are exercised.
/// </summary>
public class HpackPropertyTests
{
    private const int TableSize = 4096;

    private static readonly Gen<byte[]> Token =
        Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_"].Array[1, 24].Select(c => Encoding.ASCII.GetBytes(c));

    private static readonly Gen<byte[]> Value = Gen.Frequency(
        (8, Gen.Byte.Array[0, 48]),
        (1, Gen.Byte.Array[400, 2500])); // a few large values force evictions in a 4 KiB table

    private static readonly Gen<(byte[] Name, byte[] Value)> Field = Gen.Frequency(
        (2, Gen.Int[1, HpackStaticTable.Count].Select(i => HpackStaticTable.Get(i))),
        (2, Gen.Select(Gen.Int[1, HpackStaticTable.Count], Value, (i, v) => (HpackStaticTable.Get(i).Name, v))),
        (4, Gen.Select(Token, Value, (n, v) => (n, v))));

    private static readonly Gen<HpackOp> Op = Gen.Select(Gen.Int[0, 7], Gen.Enum<HpackForm>(), Gen.Bool, Gen.Bool,
        (field, form, huffmanName, huffmanValue) => new HpackOp(field, form, huffmanName, huffmanValue));

    /// <summary>No update (-1) mostly; small tables make entries land exactly on the size limit often.</summary>
    private static readonly Gen<int> SizeUpdate =
        Gen.Frequency((4, Gen.Const(-1)), (1, Gen.Int[0, TableSize]), (2, Gen.Int[0, 300]));

    /// <summary>A pool of fields (so later ops repeat earlier ones) and blocks of ops, each with an optional size
    /// update.</summary>
    private static readonly Gen<((byte[] Name, byte[] Value)[] Pool, (int SizeUpdate, HpackOp[] Ops)[] Blocks)>
        Sequence =
        Gen.Select(
            Field.Array[8],
            Gen.Select(SizeUpdate, Op.Array[0, 24]).Array[1, 5]);

    [Test]
    public void PrefixInteger_RoundTripsAndRejectsEveryTruncation()
    {
        var gen = Gen.Select(Gen.Int[1, 8], Gen.Frequency((1, Gen.Int[0, 300]), (1, Gen.Int[0, int.MaxValue])),
            Gen.Byte, Gen.Byte.Array[0, 3]);
        gen.Sample((prefixBits, value, high, trailing) =>
        {
            var encoded = new List<byte>();
            H2.AddInteger(encoded, prefixBits, (byte)(high & ~((1 << prefixBits) - 1)), value);
            int length = encoded.Count;
            byte[] block = [.. encoded, .. trailing];

            ReadOnlySpan<byte> rest = block;
            Assert.That(HpackDecoder.TryReadInteger(ref rest, prefixBits, out int decoded), Is.True);
            Assert.That(decoded, Is.EqualTo(value));
            Assert.That(rest.ToArray(), Is.EqualTo(trailing));
            for (int cut = 0; cut < length; cut++)
            {
                ReadOnlySpan<byte> prefix = block.AsSpan(0, cut);
                bool read = HpackDecoder.TryReadInteger(ref prefix, prefixBits, out _);
                Assert.That(read, Is.False, $"truncated at {cut}");
            }
        }, iter: Splits.Iterations * 5, threads: 1);
    }

    [Test]
    public void Huffman_RoundTripsAnyBytes()
    {
        Gen.Byte.Array[0, 300].Sample(text =>
        {
            var encoded = HpackModelEncoder.HuffmanEncode(text);
            var decoded = new byte[text.Length + 8];
            Assert.That(HpackHuffman.Decode(encoded, decoded, out int written), Is.EqualTo(HuffmanResult.Ok));
            Assert.That(decoded[..written], Is.EqualTo(text));
            if (text.Length == 0) return;
            var small = new byte[text.Length - 1];
            Assert.That(HpackHuffman.Decode(encoded, small, out _), Is.EqualTo(HuffmanResult.TooLong));
        }, iter: Splits.Iterations * 5, threads: 1);
    }

    [Test]
    public void HeaderBlocks_DecodeToTheEncodedFields_WithTheTableInStep()
    {
        Sequence.Sample((pool, blocks) =>
        {
            var encoder = new HpackModelEncoder(TableSize);
            var decoder = new HpackDecoder(TableSize, maxHeaderListSize: 1 << 20);
            for (int b = 0; b < blocks.Length; b++)
            {
                var (sizeUpdate, ops) = blocks[b];
                var block = new List<byte>();
                if (sizeUpdate >= 0) encoder.SizeUpdate(block, sizeUpdate);
                foreach (var op in ops) encoder.Encode(block, pool[op.Field], op);

                var sink = new FieldList();
                Assert.That(decoder.Decode(block.ToArray(), sink), Is.EqualTo(HpackStatus.Ok), $"block {b}");
                Assert.That(sink.Fields, Is.EqualTo(ops.Select(o => Show(pool[o.Field])).ToList()), $"block {b}");
                Assert.That((decoder.Table.Count, decoder.Table.Size), Is.EqualTo((encoder.Count, encoder.Size)),
                    $"table after block {b}");
            }
        }, iter: Splits.Iterations, threads: 1);
    }

    /// <summary>
    /// The same sequences through a sink that keeps a text per table entry (as the head builder does), with the table's
    /// byte positions starting just below the uint wrap: a text left from an evicted entry, one moved by a ring that
    /// grew, or an entry read at the wrong offset after the live bytes moved would show as a wrong field.
    /// </summary>
    [Test]
    public void HeaderBlocks_MemoisedTexts_StayTheirEntrysAcrossEvictionGrowthAndWrap()
    {
        var baseField = typeof(HpackDynamicTable).GetField("_base",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        Sequence.Sample((pool, blocks) =>
        {
            var encoder = new HpackModelEncoder(TableSize);
            var decoder = new HpackDecoder(TableSize, maxHeaderListSize: 1 << 20);
            baseField.SetValue(decoder.Table, uint.MaxValue - 3000);
            for (int b = 0; b < blocks.Length; b++)
            {
                var (sizeUpdate, ops) = blocks[b];
                var block = new List<byte>();
                if (sizeUpdate >= 0) encoder.SizeUpdate(block, sizeUpdate);
                foreach (var op in ops) encoder.Encode(block, pool[op.Field], op);

                var sink = new MemoFieldList();
                Assert.That(decoder.Decode(block.ToArray(), sink), Is.EqualTo(HpackStatus.Ok), $"block {b}");
                Assert.That(sink.Fields, Is.EqualTo(ops.Select(o => Show(pool[o.Field])).ToList()), $"block {b}");
                Assert.That((decoder.Table.Count, decoder.Table.Size), Is.EqualTo((encoder.Count, encoder.Size)),
                    $"table after block {b}");
            }
        }, iter: Splits.Iterations, threads: 1);
    }

    private static string Show((byte[] Name, byte[] Value) field) =>
        Convert.ToHexString(field.Name) + ":" + Convert.ToHexString(field.Value);

    private sealed class FieldList : IHpackHeaderSink
    {
        public List<string> Fields { get; } = [];

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Fields.Add(Convert.ToHexString(name) + ":" + Convert.ToHexString(value));
    }

    private sealed class MemoFieldList : IHpackHeaderSink
    {
        public List<string> Fields { get; } = [];

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Fields.Add(Convert.ToHexString(name) + ":" + Convert.ToHexString(value));

        public void OnIndexedHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref string? text) =>
            Fields.Add(text ??= Convert.ToHexString(name) + ":" + Convert.ToHexString(value));
    }
}
