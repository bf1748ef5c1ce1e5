using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// What one worker scans with: its own analyzer factory (emitting into the worker's <see cref="ShardRecorder"/>),
/// and what to add to the worker's counters when its flows are all closed (analyzer counters, for instance).
/// </summary>
public sealed record ShardWorkerSetup(IAnalyzerFactory Factory, Action<ScanStats>? Complete = null);
