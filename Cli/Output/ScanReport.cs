using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Cli.Output;

/// <summary>What one `scan` run produced: findings merged over the given files, totals, and per-file errors.</summary>
public sealed record ScanReport(IReadOnlyList<Finding> Findings, ScanStats Stats, IReadOnlyList<FileError> Errors);

/// <summary>A capture file that could not be read whole; <see cref="Offset"/> is where reading stopped, when known.</summary>
public sealed record FileError(string File, long? Offset, string Message)
{
    public override string ToString() => Offset is { } o ? $"{File}: at byte {o}: {Message}" : $"{File}: {Message}";
}
