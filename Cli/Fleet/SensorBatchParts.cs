using System.Text.Json;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// Cuts a snapshot into bodies of bounded size for the centre, which refuses bodies over its Sensors:MaxBodyBytes
/// (64 MiB by default, counted on the JSON before compression). Findings about one endpoint stay in one part, because
/// a later part replaces the capture's sources for its own endpoints (<see cref="SensorResultStore"/>); the parts keep
/// the findings' order.
/// </summary>
public static class SensorBatchParts
{
    /// <summary>JSON bytes per body by default: an eighth of the centre's default limit, a few thousand findings.</summary>
    public const long DefaultMaxBytes = 8L << 20;

    /// <summary>
    /// The parts of <paramref name="batch"/>, each at most <paramref name="maxBytes"/> of JSON unless one endpoint's
    /// findings alone are larger (then they travel alone, and the centre judges them). One part: the batch as it is.
    /// </summary>
    public static IReadOnlyList<SensorBatch> Split(SensorBatch batch, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        // The envelope with room for the part numbers; each finding adds its JSON and a comma.
        var envelope = JsonSerializer.SerializeToUtf8Bytes(batch with { Findings = [], Part = int.MaxValue, Parts = int.MaxValue },
            JsonDefaults.Options).Length;
        var sized = batch.Findings.Select(f => (Finding: f, Bytes: Size(f))).ToList();
        if (envelope + sized.Sum(f => f.Bytes) <= maxBytes) return [batch];

        var parts = new List<List<FindingDocument>>();
        List<FindingDocument>? current = null;
        long used = 0;
        foreach (var group in sized.GroupBy(f => f.Finding.Endpoint))
        {
            var bytes = group.Sum(f => f.Bytes);
            if (current is null || (current.Count > 0 && envelope + used + bytes > maxBytes))
            {
                current = [];
                parts.Add(current);
                used = 0;
            }
            current.AddRange(group.Select(f => f.Finding));
            used += bytes;
        }
        return [.. parts.Select((findings, i) => batch with { Findings = findings, Part = i + 1, Parts = parts.Count })];
    }

    private static long Size(FindingDocument finding) => JsonSerializer.SerializeToUtf8Bytes(finding, JsonDefaults.Options).Length + 1;
}
