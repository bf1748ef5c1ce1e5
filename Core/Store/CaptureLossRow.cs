using ShadowMcp.Core.Reading;

namespace ShadowMcp.Core.Store;

/// <summary>
/// What one save of a capture added to its loss counters (the detection-limit and libpcap counters of
/// <see cref="ScannedFileRow"/>), at the time of that save. A live session's row holds its counters since the session
/// began and is saved again at every flush; its losses belong to the weeks in which they grew, not all to the week of
/// its last flush. Only saves that added something have a row.
/// </summary>
public sealed class CaptureLossRow
{
    public long Id { get; set; }
    public long ScannedFileId { get; set; }
    public DateTime At { get; set; }
    public long CaptureDropped { get; set; }
    public long CaptureInterfaceDropped { get; set; }
    public long EndpointsEvicted { get; set; }
    public long ContextEndpointsEvicted { get; set; }
    public long EndpointHitsFolded { get; set; }
    public long AddressNamesForgotten { get; set; }
    public long ClientsDisplaced { get; set; }
    public long NamesDisplaced { get; set; }
    public long UntrustedResolverAnswers { get; set; }

    /// <summary>
    /// The growth from <paramref name="before"/> (what the capture's loss rows hold so far; null when none) to
    /// <paramref name="after"/>, or null when nothing grew. A counter that fell (a capture scanned again with larger
    /// tables, a sensor that started over under the same session) adds nothing until it passes what is recorded.
    /// </summary>
    public static CaptureLossRow? Growth(CaptureLossRow? before, ScannedFileRow after, DateTime at)
    {
        var row = new CaptureLossRow
        {
            ScannedFileId = after.Id,
            At = at,
            CaptureDropped = Grew(before?.CaptureDropped, after.CaptureDropped),
            CaptureInterfaceDropped = Grew(before?.CaptureInterfaceDropped, after.CaptureInterfaceDropped),
            EndpointsEvicted = Grew(before?.EndpointsEvicted, after.EndpointsEvicted),
            ContextEndpointsEvicted = Grew(before?.ContextEndpointsEvicted, after.ContextEndpointsEvicted),
            EndpointHitsFolded = Grew(before?.EndpointHitsFolded, after.EndpointHitsFolded),
            AddressNamesForgotten = Grew(before?.AddressNamesForgotten, after.AddressNamesForgotten),
            ClientsDisplaced = Grew(before?.ClientsDisplaced, after.ClientsDisplaced),
            NamesDisplaced = Grew(before?.NamesDisplaced, after.NamesDisplaced),
            UntrustedResolverAnswers = Grew(before?.UntrustedResolverAnswers, after.UntrustedResolverAnswers),
        };
        return row.CaptureDropped > 0 || row.CaptureInterfaceDropped > 0 || row.EndpointsEvicted > 0 || row.ContextEndpointsEvicted > 0
            || row.EndpointHitsFolded > 0 || row.AddressNamesForgotten > 0 || row.ClientsDisplaced > 0 || row.NamesDisplaced > 0
            || row.UntrustedResolverAnswers > 0 ? row : null;
    }

    /// <summary>
    /// The quarter hour (UTC) that <paramref name="at"/> falls in. Saves of a capture in one quarter hour share a row, so
    /// a session flushing every few seconds adds at most 96 a day. Every time zone's offset is a multiple of a quarter
    /// hour, so a week's or day's report never splits one; a <c>--from</c>/<c>--to</c> inside a quarter hour counts its
    /// losses by the time of its last save that added one.
    /// </summary>
    public static (DateTime From, DateTime To) Bucket(DateTime at)
    {
        var from = new DateTime(at.Ticks - at.Ticks % BucketLength.Ticks, at.Kind);
        return (from, from + BucketLength);
    }

    private static readonly TimeSpan BucketLength = TimeSpan.FromMinutes(15);

    /// <summary>Adds a later save's growth in the same quarter hour; <see cref="At"/> becomes the later save's time.</summary>
    public void Add(CaptureLossRow later)
    {
        // Each counter's rows sum to the most it has reached (FindingStore), so these sums stay within a long; held
        // there regardless.
        At = later.At > At ? later.At : At;
        CaptureDropped = CounterSum.Add(CaptureDropped, later.CaptureDropped);
        CaptureInterfaceDropped = CounterSum.Add(CaptureInterfaceDropped, later.CaptureInterfaceDropped);
        EndpointsEvicted = CounterSum.Add(EndpointsEvicted, later.EndpointsEvicted);
        ContextEndpointsEvicted = CounterSum.Add(ContextEndpointsEvicted, later.ContextEndpointsEvicted);
        EndpointHitsFolded = CounterSum.Add(EndpointHitsFolded, later.EndpointHitsFolded);
        AddressNamesForgotten = CounterSum.Add(AddressNamesForgotten, later.AddressNamesForgotten);
        ClientsDisplaced = CounterSum.Add(ClientsDisplaced, later.ClientsDisplaced);
        NamesDisplaced = CounterSum.Add(NamesDisplaced, later.NamesDisplaced);
        UntrustedResolverAnswers = CounterSum.Add(UntrustedResolverAnswers, later.UntrustedResolverAnswers);
    }

    // Counters are never negative when stored (the ingest refuses them), so the difference cannot overflow.
    private static long Grew(long? before, long? after) => Math.Max(0, (after ?? 0) - Math.Max(0, before ?? 0));
}
