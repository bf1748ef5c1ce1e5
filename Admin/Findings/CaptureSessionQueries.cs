using ShadowMcp.Core.Reading;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// Reads the latest live capture sessions, so an operator sees whether the sensor is losing packets, and the latest
/// captures whose detection limits cost something, so a flood that pushed evidence out of the tables is seen too.
/// </summary>
internal sealed class CaptureSessionQueries(AdminStore store, TimeProvider time)
{
    public const int Shown = 5;

    /// <summary>How long a capture that gave up endpoints with finding evidence stays at the top of its list.</summary>
    public static readonly TimeSpan FindingsLostKeptFor = TimeSpan.FromDays(7);

    public async Task<IReadOnlyList<CaptureSession>> LatestAsync(CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        return await new ScannedFileReader(db).LatestCaptureSessionsAsync(Shown, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CaptureLimits>> OverLimitsAsync(CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var since = time.GetUtcNow().UtcDateTime - FindingsLostKeptFor;
        return await new ScannedFileReader(db).LatestOverLimitsAsync(Shown, since, cancellationToken).ConfigureAwait(false);
    }
}
