using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Live;

/// <summary>
/// A flush of a sharded live capture, reached once every packet read before it went through the workers and the
/// replay: the moment a one-thread capture would have flushed at, after the same packets.
/// </summary>
/// <param name="Workers">The workers' counters together as of this point (packets, flows, memory peak, ...).</param>
/// <param name="Counters">libpcap's counters when the capture thread cut this point; null where libpcap has none.</param>
/// <param name="Final">The capture has stopped and every flow is closed: this flush is the last.</param>
public sealed record LiveFlushPoint(ScanStats Workers, CaptureCounters? Counters, bool Final);
