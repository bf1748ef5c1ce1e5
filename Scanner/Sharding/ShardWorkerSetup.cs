using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// What one worker scans with: its own analyzer factory (emitting into the worker's <see cref="ShardRecorder"/>),
/// what adds the analyzers' own counters (TLS, HTTP/2, ...) to a copy of the worker's at each flush point and to the
/// worker's own once its flows are all closed, and what else to do then.
/// </summary>
public sealed record ShardWorkerSetup(IAnalyzerFactory Factory, Action<ScanStats>? Complete = null, Action<ScanStats>? AddCounters = null);
