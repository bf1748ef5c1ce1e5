using Microsoft.Extensions.Logging;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Output;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Scanner.Decryption;
using ShadowMcp.Scanner.Live;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// The live pipeline: interface -> decode -> reassemble -> observations -> findings, with the findings saved to the
/// store every flush interval as one "capture session" (so a restart starts a new session and nothing is counted twice).
/// </summary>
public sealed class LiveSensor(McpClassifier classifier, IScanResultSink? store, ILogger logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>TLS secrets (<c>--keylog</c>); a file still being written is re-read when a session's keys are missing.</summary>
    public TlsKeyLog? KeyLog { get; init; }
    /// <summary>Where each flow is written at the flush after it ends (docs/flow-log.md); null for none.</summary>
    public FlowLog? FlowLog { get; init; }
    /// <summary>The shape model for TLS flows without keys (docs/shape-classifier.md); null turns shape scoring off.</summary>
    public Classifier.Shape.ShapeModel? ShapeModel { get; init; }
    /// <summary>Where the capture's counters and flush times are published (README "Metrics"); null for none.</summary>
    public SensorMetrics? Metrics { get; init; }

    /// <summary>
    /// Workers (<c>--threads</c>): 1 captures and analyzes on one thread; more shard flows over that many workers
    /// (Scanner/Sharding/README.md), with the same findings, flow log and counters at every flush.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <param name="onCapturing">Called once the interface is open and filtered (e.g. to start a capture-duration timer).</param>
    public ScanReport Run(LiveCaptureOptions options, TimeSpan flushInterval, CancellationToken ct, Action? onCapturing = null)
    {
        var stats = new ScanStats();
        var pipeline = new LivePipeline(classifier, "live:" + options.Interface, stats, KeyLog, FlowLog, ShapeModel);
        var started = _time.GetUtcNow().UtcDateTime;
        var sessionId = $"live:{options.Interface}:{started:yyyyMMddTHHmmssfffZ}";
        IReadOnlyList<Finding> last = [];
        // The counters the metrics and the store see: the capture's own with one thread, the last flush's with more.
        var current = stats;
        long reportedLost = 0;
        string? reportedLimits = null;
        using var watched = Metrics?.Watch(options.Interface, () => current, () => last.Count);

        void Flush(Func<ScanStats> statsNow, CaptureCounters? counters, bool final)
        {
            var flushStarted = _time.GetTimestamp();
            // Packet times are the wall clock, so the capture clock for the shape stage is the time provider's.
            last = pipeline.Flush(_time.GetUtcNow().UtcDateTime, final);
            // Taken after the shape stage, whose observations count too.
            var at = current = statsNow();
            pipeline.CopyLimitsTo(at);
            if (counters is { } c)
            {
                at.CaptureReceived = c.Received;
                at.CaptureDropped = c.Dropped;
                at.CaptureInterfaceDropped = c.InterfaceDropped;
            }
            if (store is not null)
                store.SaveFileResult($"live:{options.Interface}", sessionId, at.Bytes, at, null, last, _time.GetUtcNow().UtcDateTime);
            logger.LogInformation("{Interface}: {Packets} packets, {Findings} findings{Saved}; {Counters}", options.Interface,
                at.Packets, last.Count, store is null ? "" : " saved", counters?.ToString() ?? "no kernel counters");
            long lost = (counters?.Dropped ?? 0) + (counters?.InterfaceDropped ?? 0);
            if (lost > reportedLost)
                logger.LogWarning("{Interface}: packets were dropped before the sensor read them ({Counters}); raise --buffer-mb",
                    options.Interface, counters);
            reportedLost = lost;
            // The sensor's aggregator lives for the whole run: say so whenever its limits cost more than last time.
            var limits = pipeline.EndpointLimits;
            if (limits is not null && limits != reportedLimits) logger.LogWarning("{Interface}: {Limits}", options.Interface, limits);
            reportedLimits = limits;
            Metrics?.Flushed(options.Interface, _time.GetElapsedTime(flushStarted));
        }

        void Started(string warnings)
        {
            if (warnings.Length > 0) logger.LogWarning("{Interface}: settings not applied: {Warnings}", options.Interface, warnings);
            logger.LogInformation("capturing on {Interface} with filter '{Filter}'{Threads}", options.Interface, options.Filter,
                Threads > 1 ? $" on {Threads} worker threads" : "");
            onCapturing?.Invoke();
        }

        if (Threads > 1)
        {
            new ShardedLiveCapture(options, Threads).Run(pipeline.Shards(), stats, flushInterval, point => Flush(() =>
            {
                // What one thread's counters hold at this point: the replay's (observations) and the workers'.
                var at = new ScanStats();
                at.Add(stats);
                at.Add(point.Workers);
                return at;
            }, point.Counters, point.Final), ct, Started);
            // stats now holds the replay's and the workers' final counters; libpcap's are the last flush's.
            (stats.CaptureReceived, stats.CaptureDropped, stats.CaptureInterfaceDropped) =
                (current.CaptureReceived, current.CaptureDropped, current.CaptureInterfaceDropped);
            current = stats;
        }
        else
        {
            var capture = new LiveCapture(options, pipeline.Factory, stats);
            // A flush stores a copy with the analyzers' own counters (TLS, HTTP/2, ...) so far; the metrics keep
            // reading the capture's live counters, with libpcap's as of the last flush.
            capture.Run(ct, flushInterval, () =>
            {
                Flush(() =>
                {
                    var at = new ScanStats();
                    at.Add(stats);
                    pipeline.Counters.AddTo(at);
                    return at;
                }, capture.Counters, final: capture.Stopped);
                (stats.CaptureReceived, stats.CaptureDropped, stats.CaptureInterfaceDropped) =
                    (current.CaptureReceived, current.CaptureDropped, current.CaptureInterfaceDropped);
                current = stats;
            }, Started);
            pipeline.Counters.AddTo(stats);
        }
        pipeline.CopyLimitsTo(stats);
        return new ScanReport(FindingOrder.ForDisplay(last), stats, KeyLog is null ? [] : [.. KeyLogErrors.Of(KeyLog)]);
    }
}
