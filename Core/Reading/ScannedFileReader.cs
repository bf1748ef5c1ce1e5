using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Reading;

/// <summary>Reads what the scanned-file records say about capture: the latest live sessions and their loss counters.</summary>
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
}
