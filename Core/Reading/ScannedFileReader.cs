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
    /// The captures saved in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) that may be missing findings (they
    /// dropped packets or gave up endpoints with finding evidence), with their other losses, most endpoints given up
    /// first, then most packets dropped.
    /// </summary>
    public async Task<IReadOnlyList<CaptureLoss>> LossesAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        DateTime from = StoreTime.Utc(fromUtc), to = StoreTime.Utc(toUtc);
        var rows = await db.ScannedFiles.AsNoTracking()
            .Where(f => f.ScannedAt >= from && f.ScannedAt < to)
            // Details given up and untrusted answers ignored lose no finding: alone they are not a loss (their counts
            // come with a capture that is one).
            .Where(f => (f.CaptureDropped ?? 0) > 0 || (f.CaptureInterfaceDropped ?? 0) > 0 || f.EndpointsEvicted > 0)
            // The columns as stored, added here: a sum in SQL overflows on counters a remote sensor chose (PostgreSQL throws).
            .Select(f => new
            {
                f.Path, f.ScannedAt, f.CaptureDropped, f.CaptureInterfaceDropped, f.EndpointsEvicted, f.ContextEndpointsEvicted,
                f.EndpointHitsFolded, f.AddressNamesForgotten, f.ClientsDisplaced, f.NamesDisplaced, f.UntrustedResolverAnswers,
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows
            .Select(r => new CaptureLoss(r.Path, StoreTime.Utc(r.ScannedAt),
                CounterSum.Of(r.CaptureDropped ?? 0, r.CaptureInterfaceDropped ?? 0), r.EndpointsEvicted,
                CounterSum.Of(r.ContextEndpointsEvicted, r.EndpointHitsFolded, r.AddressNamesForgotten, r.ClientsDisplaced, r.NamesDisplaced),
                r.UntrustedResolverAnswers))
            .OrderByDescending(c => c.EndpointsGivenUp).ThenByDescending(c => c.PacketsDropped)
            .ThenBy(c => c.Source, StringComparer.Ordinal).ThenBy(c => c.SavedAt)];
    }
}
