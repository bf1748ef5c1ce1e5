namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// Settings of the remote-sensor endpoint (section "Sensors" of serve's settings). Its tokens are their own kind: a
/// sensor token can post results and nothing else; host-ingest and admin tokens cannot post them.
/// </summary>
public sealed class SensorIngestOptions
{
    public const string Section = "Sensors";

    /// <summary>Accepted tokens, each as plain text (16+ characters) or as "sha256:&lt;hex&gt;" of the token.</summary>
    public List<string> IngestTokens { get; set; } = [];
    /// <summary>Bigger bodies, compressed or not, are refused with 413.</summary>
    public long MaxBodyBytes { get; set; } = 64L << 20;
    /// <summary>More findings than this in one batch is refused.</summary>
    public int MaxFindings { get; set; } = 200_000;
}
