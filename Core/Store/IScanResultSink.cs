using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Core.Store;

/// <summary>
/// Where a scan or a sensor flush puts what one capture (a file, or a live session so far) produced: the local store,
/// or a central <c>serve</c> (remote sensors). Saving the same capture again replaces what it contributed before.
/// </summary>
public interface IScanResultSink
{
    void SaveFileResult(string filePath, string sha256, long size, ScanStats stats, string? error, IReadOnlyList<Finding> findings,
        DateTime scannedAt);
}
