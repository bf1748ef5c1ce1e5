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

    /// <param name="onCapturing">Called once the interface is open and filtered (e.g. to start a capture-duration timer).</param>
    public ScanReport Run(LiveCaptureOptions options, TimeSpan flushInterval, CancellationToken ct, Action? onCapturing = null)
    {
        var stats = new ScanStats();
        var pipeline = new LivePipeline(classifier, "live:" + options.Interface, stats, KeyLog, FlowLog, ShapeModel);
        var started = _time.GetUtcNow().UtcDateTime;
        var sessionId = $"live:{options.Interface}:{started:yyyyMMddTHHmmssfffZ}";
        IReadOnlyList<Finding> last = [];

        var capture = new LiveCapture(options, pipeline.Factory, stats);
        long reportedLost = 0;
        using var watched = Metrics?.Watch(options.Interface, stats, () => last.Count);

        void Flush()
        {
            var flushStarted = _time.GetTimestamp();
            // Packet times are the wall clock, so the capture clock for the shape stage is the time provider's.
            last = pipeline.Flush(_time.GetUtcNow().UtcDateTime, final: capture.Stopped);
            if (capture.Counters is { } counters)
            {
                stats.CaptureReceived = counters.Received;
                stats.CaptureDropped = counters.Dropped;
                stats.CaptureInterfaceDropped = counters.InterfaceDropped;
            }
            if (store is not null)
                store.SaveFileResult($"live:{options.Interface}", sessionId, stats.Bytes, stats, null, last, _time.GetUtcNow().UtcDateTime);
            logger.LogInformation("{Interface}: {Packets} packets, {Findings} findings{Saved}; {Counters}", options.Interface,
                stats.Packets, last.Count, store is null ? "" : " saved", capture.Counters?.ToString() ?? "no kernel counters");
            long lost = (capture.Counters?.Dropped ?? 0) + (capture.Counters?.InterfaceDropped ?? 0);
            if (lost > reportedLost)
                logger.LogWarning("{Interface}: packets were dropped before the sensor read them ({Counters}); raise --buffer-mb",
                    options.Interface, capture.Counters);
            reportedLost = lost;
            Metrics?.Flushed(options.Interface, _time.GetElapsedTime(flushStarted));
        }

        capture.Run(ct, flushInterval, Flush, warnings =>
        {
            if (warnings.Length > 0) logger.LogWarning("{Interface}: settings not applied: {Warnings}", options.Interface, warnings);
            logger.LogInformation("capturing on {Interface} with filter '{Filter}'", options.Interface, options.Filter);
            onCapturing?.Invoke();
        });
        pipeline.Counters.AddTo(stats);
        return new ScanReport(FindingOrder.ForDisplay(last), stats, KeyLog is null ? [] : [.. KeyLogErrors.Of(KeyLog)]);
    }
}
