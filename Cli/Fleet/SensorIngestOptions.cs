namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// Settings of the remote-sensor endpoint (section "Sensors" of serve's settings). Its tokens are their own kind: a
/// sensor token can post results and nothing else; host-ingest and admin tokens cannot post them.
/// </summary>
public sealed class SensorIngestOptions
{
    public const string Section = "Sensors";

    /// <summary>
    /// Tokens not bound to a sensor, each as plain text (16+ characters) or as "sha256:&lt;hex&gt;" of the token: they
    /// may report under any sensor name that no token in <see cref="SensorTokens"/> is bound to.
    /// </summary>
    public List<string> IngestTokens { get; set; } = [];
    /// <summary>Sensor name to its own token (same forms): that token reports as that sensor only.</summary>
    public Dictionary<string, string> SensorTokens { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Bigger bodies, compressed or not, are refused with 413 (this also lifts Kestrel's 30 MB default).</summary>
    public long MaxBodyBytes { get; set; } = 64L << 20;
    /// <summary>More findings than this in one batch is refused.</summary>
    public int MaxFindings { get; set; } = 200_000;
    /// <summary>Batches read and stored at once; one more is answered 429 (the sensor keeps it and retries).</summary>
    public int MaxConcurrentBatches { get; set; } = 4;
    /// <summary>A body not read and parsed within this is answered 408, so a slow one holds its slot no longer.</summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How far past the centre's clock a batch's times may be (a sensor's clock a little ahead).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromDays(1);
}
