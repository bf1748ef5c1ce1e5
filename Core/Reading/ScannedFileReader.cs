using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// Reads what the scanned-file records say about capture: the latest live sessions and their loss counters, and the
/// captures whose detection limits cost something.
/// </summary>
public sealed class ScannedFileReader(ShadowMcpDbContext db)
{
    /// <summary>The <paramref name="count"/> live capture sessions flushed last, newest first.</summary>
    public async Task<IReadOnlyList<CaptureSession>> LatestCaptureSessionsAsync(int count, CancellationToken cancellationToken)
    {
        // Only live sessions carry libpcap counters; capture files leave them null.
        var rows = await db.ScannedFiles.AsNoTracking()
            .Where(f => f.CaptureReceived != null)
            .OrderByDescending(f => f.ScannedAt).ThenByDescending(f => f.Id)
            .Take(count)
            .Select(f => new { f.Path, f.ScannedAt, f.Packets, Received = f.CaptureReceived ?? 0, Dropped = f.CaptureDropped ?? 0,
                InterfaceDropped = f.CaptureInterfaceDropped ?? 0 })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new CaptureSession(r.Path, StoreTime.Utc(r.ScannedAt), r.Packets, r.Received, r.Dropped, r.InterfaceDropped))];
    }

    /// <summary>
    /// The <paramref name="count"/> captures in which a detection limit cost something: first those saved since
    /// <paramref name="findingsLostSinceUtc"/> that gave up endpoints with finding evidence (newest first), then the rest,
    /// newest first. So captures that only displaced names or clients (which any sensor can make) cannot push a
    /// recent capture that lost findings off a short list.
    /// </summary>
    public async Task<IReadOnlyList<CaptureLimits>> LatestOverLimitsAsync(int count, DateTime findingsLostSinceUtc,
        CancellationToken cancellationToken)
    {
        var since = StoreTime.Utc(findingsLostSinceUtc);
        var rows = await db.ScannedFiles.AsNoTracking()
            .Where(f => f.EndpointsEvicted > 0 || f.ContextEndpointsEvicted > 0 || f.EndpointHitsFolded > 0
                || f.AddressNamesForgotten > 0 || f.ClientsDisplaced > 0 || f.NamesDisplaced > 0 || f.UntrustedResolverAnswers > 0)
            .OrderByDescending(f => f.EndpointsEvicted > 0 && f.ScannedAt >= since).ThenByDescending(f => f.ScannedAt).ThenByDescending(f => f.Id)
            .Take(count)
            .Select(f => new { f.Path, f.ScannedAt, f.EndpointsEvicted, f.ContextEndpointsEvicted, f.EndpointHitsFolded,
                f.AddressNamesForgotten, f.ClientsDisplaced, f.NamesDisplaced, f.UntrustedResolverAnswers })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new CaptureLimits(r.Path, StoreTime.Utc(r.ScannedAt), r.EndpointsEvicted, r.ContextEndpointsEvicted,
            r.EndpointHitsFolded, r.AddressNamesForgotten, r.ClientsDisplaced, r.NamesDisplaced, r.UntrustedResolverAnswers))];
    }

    /// <summary>
    /// The captures that may have missed findings in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>): those whose
    /// dropped packets or endpoints given up with finding evidence grew in that period (a live session's losses count
    /// in the weeks they happened, not all in the week of its last flush), with what else they gave up in it, most
    /// endpoints given up first, then most packets dropped. <see cref="CaptureLoss.SavedAt"/> is the last save in the
    /// period that added a loss.
    /// </summary>
    public async Task<IReadOnlyList<CaptureLoss>> LossesAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        DateTime from = StoreTime.Utc(fromUtc), to = StoreTime.Utc(toUtc);
        // The columns as stored, added here: a sum in SQL overflows on counters a remote sensor chose (PostgreSQL throws).
        var rows = await db.CaptureLosses.AsNoTracking()
            .Where(l => l.At >= from && l.At < to)
            .Join(db.ScannedFiles, l => l.ScannedFileId, f => f.Id, (l, f) => new
            {
                l.ScannedFileId, f.Path, l.At, l.CaptureDropped, l.CaptureInterfaceDropped, l.EndpointsEvicted, l.ContextEndpointsEvicted,
                l.EndpointHitsFolded, l.AddressNamesForgotten, l.ClientsDisplaced, l.NamesDisplaced, l.UntrustedResolverAnswers,
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows
            .GroupBy(r => r.ScannedFileId)
            .Select(g => new CaptureLoss(g.First().Path, StoreTime.Utc(g.Max(r => r.At)),
                CounterSum.Of(g, r => CounterSum.Of(r.CaptureDropped, r.CaptureInterfaceDropped)),
                CounterSum.Of(g, r => r.EndpointsEvicted),
                CounterSum.Of(g, r => CounterSum.Of(r.ContextEndpointsEvicted, r.EndpointHitsFolded, r.AddressNamesForgotten,
                    r.ClientsDisplaced, r.NamesDisplaced)),
                CounterSum.Of(g, r => r.UntrustedResolverAnswers)))
            // Details given up and untrusted answers ignored lose no finding: alone they are not a loss (their counts
            // come with a capture that is one).
            .Where(c => c.PacketsDropped > 0 || c.EndpointsGivenUp > 0)
            .OrderByDescending(c => c.EndpointsGivenUp).ThenByDescending(c => c.PacketsDropped)
            .ThenBy(c => c.Source, StringComparer.Ordinal).ThenBy(c => c.SavedAt)];
    }
}
