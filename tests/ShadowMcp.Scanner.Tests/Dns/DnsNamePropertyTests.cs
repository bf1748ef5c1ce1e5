using System.Text;
using CsCheck;
using ShadowMcp.Scanner.Dns;
using ShadowMcp.Scanner.Tests.Properties;

namespace ShadowMcp.Scanner.Tests.Dns;

/// <summary>
/// Names written into one message with RFC 1035 4.1.4 compression (each suffix seen before becomes a pointer, as
/// real servers write them) read back as the lower-cased names, each ending where its own bytes end.
/// </summary>
public class DnsNamePropertyTests
{
    private const string LabelChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

    /// <summary>A small label pool, so names share suffixes often.</summary>
    private static readonly Gen<string[]> LabelPool =
        Gen.Char[LabelChars].Array[1, 63].Select(c => new string(c)).Array[6];

    private static readonly Gen<int[]> NameShape = Gen.Int[0, 5].Array[0, 5];

    [Test]
    public void CompressedNames_ReadBackLowerCased_AndEndAtTheirOwnBytes()
    {
        var entry = Gen.Select(NameShape, Gen.Byte.Array[0, 30], Gen.Bool);
        var gen = Gen.Select(LabelPool, entry.Array[1, 12], Gen.Byte.Array[12]);
        gen.Sample((pool, entries, header) =>
        {
            var message = new List<byte>(header);
            var suffixes = new Dictionary<string, int>();
            var written = new List<(int Offset, int End, string Name)>();
            foreach (var (shape, filler, compress) in entries)
            {
                message.AddRange(filler); // stands for the record fields between names
                var labels = FitIn255(shape.Select(i => pool[i]).ToList());
                int start = message.Count;
                WriteName(message, labels, compress ? suffixes : null);
                written.Add((start, message.Count, string.Join('.', labels).ToLowerInvariant()));
            }

            var bytes = message.ToArray();
            foreach (var (offset, end, name) in written)
            {
                Assert.That(DnsNames.TryRead(bytes, offset, out var read, out int next), Is.True, $"name at {offset}");
                Assert.That((read, next), Is.EqualTo((name, end)), $"name at {offset}");
                bool skips = DnsNames.TrySkip(bytes, offset, out int skipped);
                Assert.That((skips, skipped), Is.EqualTo((true, end)), $"skip at {offset}");
            }
        }, iter: Splits.Iterations, threads: 1);
    }

    /// <summary>Drops leading labels until the wire form (length bytes, labels, root) fits in 255 bytes.</summary>
    private static List<string> FitIn255(List<string> labels)
    {
        while (labels.Sum(l => l.Length + 1) + 1 > 255) labels.RemoveAt(0);
        return labels;
    }

    /// <summary>Labels, each suffix remembered at its offset; a suffix already written becomes a pointer.</summary>
    private static void WriteName(List<byte> message, List<string> labels, Dictionary<string, int>? suffixes)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            string suffix = string.Join('.', labels.Skip(i)).ToLowerInvariant();
            if (suffixes is not null && suffixes.TryGetValue(suffix, out int target))
            {
                message.Add((byte)(0xC0 | (target >> 8)));
                message.Add((byte)target);
                return;
            }
            if (suffixes is not null && message.Count < 0x3FFF) suffixes[suffix] = message.Count;
            message.Add((byte)labels[i].Length);
            message.AddRange(Encoding.ASCII.GetBytes(labels[i]));
        }
        message.Add(0);
    }
}
