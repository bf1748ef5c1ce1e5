using ShadowMcp.Core.Reading;

namespace ShadowMcp.Reports.Model;

/// <summary>
/// Captures saved in the period that may be missing findings (packets dropped before the sensor read them, endpoints
/// given up to the detection limits): the counts over all of them (held at long's maximum, not overflowing) and the
/// worst few. Empty when nothing was lost.
/// </summary>
public sealed record CaptureLossSection(int Captures, long PacketsDropped, long EndpointsGivenUp, IReadOnlyList<CaptureLoss> Top)
{
    public const int TopCount = 5;

    public static CaptureLossSection From(IReadOnlyList<CaptureLoss> losses) =>
        new(losses.Count, CounterSum.Of(losses, l => l.PacketsDropped), CounterSum.Of(losses, l => l.EndpointsGivenUp),
            [.. losses.Take(TopCount)]);
}
