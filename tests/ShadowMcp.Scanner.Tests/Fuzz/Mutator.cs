namespace ShadowMcp.Scanner.Tests.Fuzz;

/// <summary>afl-style havoc on a byte array: a few stacked random edits, biased to the values parsers trip on.</summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = [0, 1, 0x7f, 0x80, 0xff, (byte)'\r', (byte)'\n', (byte)'"', (byte)'\\', (byte)'{', (byte)':'];

    public static byte[] Mutate(byte[] seed, byte[] other, Random random)
    {
        var data = new List<byte>(seed);
        int edits = 1 + random.Next(8);
        for (int e = 0; e < edits; e++)
        {
            int at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0 when data.Count > 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                case 1 when data.Count > 0: data[at] = Interesting[random.Next(Interesting.Length)]; break;
                case 2 when data.Count > 0: data[at] = (byte)random.Next(256); break;
                case 3: data.Insert(at, Interesting[random.Next(Interesting.Length)]); break;
                case 4 when data.Count > 0: data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16))); break;
                case 5 when data.Count > 0: data.RemoveRange(at, data.Count - at); break; // cut
                case 6 when other.Length > 0: // splice a piece of another seed
                    int from = random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + random.Next(64))).ToArray());
                    break;
                case 7 when data.Count > 1: // lengths: set a 16-bit field to an extreme
                    ushort value = random.Next(3) switch { 0 => 0, 1 => 0xffff, _ => (ushort)random.Next(65536) };
                    data[at] = (byte)(value >> 8);
                    if (at + 1 < data.Count) data[at + 1] = (byte)value;
                    break;
            }
        }

        return [.. data];
    }
}
