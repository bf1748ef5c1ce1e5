using CsCheck;

namespace ShadowMcp.Scanner.Tests.Properties;

/// <summary>Cuts a byte stream into segments at generated points, as TCP or a file read might deliver it.</summary>
internal static class Splits
{
    /// <summary>Raw cut points; <see cref="Apply"/> folds them into the stream's length.</summary>
    public static readonly Gen<int[]> Cuts = Gen.Int[0, int.MaxValue].Array[0, 12];

    /// <summary>Iterations per property: enough to cover the generators' shapes, few enough to take seconds.</summary>
    public const long Iterations = 400;

    public static List<byte[]> Apply(byte[] stream, int[] cuts)
    {
        var points = cuts.Select(c => stream.Length == 0 ? 0 : c % (stream.Length + 1))
            .Append(0).Append(stream.Length).Distinct().Order().ToArray();
        var segments = new List<byte[]>();
        for (int i = 1; i < points.Length; i++) segments.Add(stream[points[i - 1]..points[i]]);
        return segments;
    }
}
