namespace ShadowMcp.Cli.Siem;

/// <summary>How the export batches and retries.</summary>
internal sealed class SiemDeliveryOptions
{
    /// <summary>Events per batch: one acknowledgement and one cursor write each; a crash re-sends at most one batch.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Tries after the first failure before the run gives up on a batch (the cursor stays before it).</summary>
    public int Retries { get; init; } = 5;

    /// <summary>Wait before the first retry; doubled each time up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Backoff(int retry) => Delivery.ExponentialBackoff.Delay(InitialBackoff, MaxBackoff, retry);
}
