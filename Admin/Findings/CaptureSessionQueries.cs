using Microsoft.EntityFrameworkCore;

namespace ShadowMcp.Admin.Findings;

/// <summary>Reads the latest live capture sessions, so an operator sees whether the sensor is losing packets.</summary>
internal sealed class CaptureSessionQueries(AdminStore store)
{
    public const int Shown = 5;

    public async Task<IReadOnlyList<CaptureSessionSummary>> LatestAsync(CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        // Only live sessions carry libpcap counters; capture files leave them null.
        return await db.ScannedFiles.AsNoTracking()
            .Where(f => f.CaptureReceived != null)
            .OrderByDescending(f => f.ScannedAt).ThenByDescending(f => f.Id)
            .Take(Shown)
            .Select(f => new CaptureSessionSummary(f.Path, f.ScannedAt, f.Packets, f.CaptureReceived ?? 0,
                f.CaptureDropped ?? 0, f.CaptureInterfaceDropped ?? 0))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
