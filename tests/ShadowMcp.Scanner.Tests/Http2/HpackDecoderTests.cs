using System.Text;
using ShadowMcp.Scanner.Http2;

namespace ShadowMcp.Scanner.Tests.Http2;

/// <summary>The examples of RFC 7541 Appendix C, decoded in sequence on one decoder as the RFC does.</summary>
public class HpackDecoderTests
{
    private const string Date1 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private const string Date2 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private const string Cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    private static readonly string[][] Requests =
    [
        [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"],
        [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache"],
        [":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com", "custom-key: custom-value"],
    ];

    private static readonly string[][] Responses =
    [
        [":status: 302", "cache-control: private", "date: " + Date1, "location: https://www.example.com"],
        [":status: 307", "cache-control: private", "date: " + Date1, "location: https://www.example.com"],
        [":status: 200", "cache-control: private", "date: " + Date2, "location: https://www.example.com",
            "content-encoding: gzip", "set-cookie: " + Cookie],
    ];

    [TestCase("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572", "custom-key: custom-header", 55)]
    [TestCase("040c 2f73 616d 706c 652f 7061 7468", ":path: /sample/path", 0)]
    [TestCase("1008 7061 7373 776f 7264 0673 6563 7265 74", "password: secret", 0)]
    [TestCase("82", ":method: GET", 0)]
    public void Decode_AppendixC2_SingleField(string hex, string expected, int tableSize)
    {
        var decoder = new HpackDecoder(4096, 16384);
        var sink = new CollectingSink();

        Assert.That(decoder.Decode(Hex(hex), sink), Is.EqualTo(HpackStatus.Ok));
        Assert.That(sink.Fields, Is.EqualTo(new[] { expected }));
        Assert.That(decoder.Table.Size, Is.EqualTo(tableSize));
    }

    [TestCase("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", "8286 84be 5808 6e6f 2d63 6163 6865",
        "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65")]
    [TestCase("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf",
        "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")]
    public void Decode_AppendixC3C4_RequestSequence(string first, string second, string third)
    {
        var decoder = new HpackDecoder(4096, 16384);
        int[] sizes = [57, 110, 164];
        string[] blocks = [first, second, third];
        for (int i = 0; i < 3; i++)
        {
            var sink = new CollectingSink();
            Assert.That(decoder.Decode(Hex(blocks[i]), sink), Is.EqualTo(HpackStatus.Ok));
            Assert.That(sink.Fields, Is.EqualTo(Requests[i]), $"request {i + 1}");
            Assert.That(decoder.Table.Size, Is.EqualTo(sizes[i]), $"table after request {i + 1}");
        }
        Assert.That(Field(decoder.Table, 1), Is.EqualTo("custom-key: custom-value"));
    }

    [TestCase(
        "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d " +
        "546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "4803 3330 37c1 c0bf",
        "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f " +
        "6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b " +
        "2076 6572 7369 6f6e 3d31")]
    [TestCase(
        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 " +
        "8f0b 97c8 e9ae 82ae 43d3",
        "4883 640e ffc1 c0bf",
        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 " +
        "dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07")]
    public void Decode_AppendixC5C6_ResponsesEvictFromA256ByteTable(string first, string second, string third)
    {
        var decoder = new HpackDecoder(4096, 16384);
        decoder.Table.SetMaxSize(256);
        int[] sizes = [222, 222, 215];
        string[] blocks = [first, second, third];
        for (int i = 0; i < 3; i++)
        {
            var sink = new CollectingSink();
            Assert.That(decoder.Decode(Hex(blocks[i]), sink), Is.EqualTo(HpackStatus.Ok));
            Assert.That(sink.Fields, Is.EqualTo(Responses[i]), $"response {i + 1}");
            Assert.That(decoder.Table.Size, Is.EqualTo(sizes[i]), $"table after response {i + 1}");
        }
        Assert.Multiple(() =>
        {
            Assert.That(decoder.Table.Count, Is.EqualTo(3));
            Assert.That(Field(decoder.Table, 1), Is.EqualTo("set-cookie: " + Cookie));
            Assert.That(Field(decoder.Table, 2), Is.EqualTo("content-encoding: gzip"));
            Assert.That(Field(decoder.Table, 3), Is.EqualTo("date: " + Date2));
        });
    }

    [TestCase("0a", 5, 10)]
    [TestCase("1f9a0a", 5, 1337)]
    [TestCase("2a", 8, 42)]
    public void TryReadInteger_AppendixC1(string hex, int prefix, int expected)
    {
        ReadOnlySpan<byte> block = Hex(hex);
        Assert.That(HpackDecoder.TryReadInteger(ref block, prefix, out int value), Is.True);
        Assert.That(value, Is.EqualTo(expected));
        Assert.That(block.IsEmpty, Is.True);
    }

    [TestCase("ff ff ff ff ff ff ff 7f", Description = "integer larger than an int")]
    [TestCase("ff 80", Description = "truncated integer")]
    [TestCase("be", Description = "index beyond both tables")]
    [TestCase("80", Description = "index 0")]
    [TestCase("400a 6375", Description = "string longer than the block")]
    [TestCase("4081 ff 00", Description = "Huffman padding longer than 7 bits")]
    [TestCase("4084 ffff ffff 00", Description = "EOS inside a Huffman string")]
    public void Decode_MalformedBlock_IsMalformedNotAnException(string hex)
    {
        var decoder = new HpackDecoder(4096, 16384);
        Assert.That(decoder.Decode(Hex(hex), new CollectingSink()), Is.EqualTo(HpackStatus.Malformed));
    }

    [Test]
    public void Decode_TableSizeUpdateAboveTheLimit_IsRefused()
    {
        var decoder = new HpackDecoder(4096, 16384);
        // 001xxxxx, 5-bit prefix: 31 + 0x62 + 0x1f * 128 = 4097, one more than the limit.
        Assert.That(decoder.Decode(Hex("3fe21f"), new CollectingSink()), Is.EqualTo(HpackStatus.TableTooLarge));
    }

    [Test]
    public void Decode_HpackBomb_StopsDeliveringButKeepsTheTableInStep()
    {
        // One 4000-byte value inserted once, then referenced 1000 times: 1 KiB of input, 4 MB of header list.
        var decoder = new HpackDecoder(4096, 16384);
        var block = new List<byte> { 0x40, 0x01, (byte)'x', 0x7F };
        block.AddRange(IntegerTail(4000 - 127));
        block.AddRange(Enumerable.Repeat((byte)'a', 4000));
        block.AddRange(Enumerable.Repeat((byte)0xBE, 1000));
        var sink = new CollectingSink();

        Assert.That(decoder.Decode(block.ToArray(), sink), Is.EqualTo(HpackStatus.HeaderListTooLarge));
        Assert.That(sink.Fields, Has.Count.LessThanOrEqualTo(4));
        var next = new CollectingSink();
        Assert.That(decoder.Decode(Hex("be"), next), Is.EqualTo(HpackStatus.Ok));
        Assert.That(next.Fields.Single(), Is.EqualTo("x: " + new string('a', 4000)));
    }

    [Test]
    public void Decode_SizeUpdatesInsideABlock_EmptyAndRegrowTheTableWithTextsOfTheNewEntries()
    {
        // x: y indexed and referenced (its text memoised), the table emptied (size 0) and restored (4096) mid-block,
        // x: z indexed at the same place and referenced: the reference must be x: z, not the memo of x: y.
        var decoder = new HpackDecoder(4096, 16384);
        var sink = new MemoSink();
        Assert.That(decoder.Decode(Hex("4001 7801 79 be 20 3fe11f 4001 7801 7a be"), sink), Is.EqualTo(HpackStatus.Ok));
        Assert.That(sink.Fields, Is.EqualTo(new[] { "x: y", "x: y", "x: z", "x: z" }));
        Assert.That(decoder.Decode(Hex("20 be"), new MemoSink()), Is.EqualTo(HpackStatus.Malformed), "index into an emptied table");
    }

    [Test]
    public void Decode_LiteralNamingTheEntryItsAddEvicts_KeepsTheName()
    {
        // A 40-byte table holds one entry: x: y (34). x: zz (35) names entry 62, the very entry adding it evicts
        // (RFC 7541 4.4: the name must be read before the eviction).
        var decoder = new HpackDecoder(4096, 16384);
        var sink = new MemoSink();
        Assert.That(decoder.Decode(Hex("3f09 4001 7801 79 be 7e02 7a7a be"), sink), Is.EqualTo(HpackStatus.Ok));
        Assert.That(sink.Fields, Is.EqualTo(new[] { "x: y", "x: y", "x: zz", "x: zz" }));
        Assert.That((decoder.Table.Count, decoder.Table.Size), Is.EqualTo((1, 35)));
    }

    private sealed class MemoSink : IHpackHeaderSink
    {
        public List<string> Fields { get; } = [];

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Fields.Add(Encoding.ASCII.GetString(name) + ": " + Encoding.ASCII.GetString(value));

        public void OnIndexedHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref string? text) =>
            Fields.Add(text ??= Encoding.ASCII.GetString(name) + ": " + Encoding.ASCII.GetString(value));
    }

    private static IEnumerable<byte> IntegerTail(int value)
    {
        while (value >= 128)
        {
            yield return (byte)(value % 128 + 128);
            value /= 128;
        }
        yield return (byte)value;
    }

    private static string Field(HpackDynamicTable table, int index)
    {
        table.Get(index, out var name, out var value);
        return Encoding.ASCII.GetString(name) + ": " + Encoding.ASCII.GetString(value);
    }

    internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private sealed class CollectingSink : IHpackHeaderSink
    {
        public List<string> Fields { get; } = [];

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Fields.Add(Encoding.ASCII.GetString(name) + ": " + Encoding.ASCII.GetString(value));
    }
}
