namespace ShadowMcp.Cli.Output;

/// <summary>One output format for `scan`.</summary>
public interface IScanReportWriter
{
    void Write(ScanReport report, TextWriter stdout);
}
