using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Output;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Scanner;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Decryption;
using ShadowMcp.Scanner.Flows;
using ShadowMcp.Scanner.Sharding;
using ShadowMcp.Scanner.Capture;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// The file pipeline: capture -> decode -> reassemble -> observations -> findings -> store, one file at a time.
/// Each file's findings are committed before the next file is read, and a file that fails part-way keeps what
/// was found before the failure.
/// </summary>
public sealed class ScanRunner(McpClassifier classifier, IScanResultSink? store, ILogger logger, TimeProvider? time = null)
{
    private readonly CaptureFileScanner _scanner = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>TLS secrets (<c>--keylog</c>): TLS traffic they cover is decrypted and analyzed like plaintext.</summary>
    public TlsKeyLog? KeyLog { get; init; }
    /// <summary>Where each flow is written when its file ends (docs/flow-log.md); null for none.</summary>
    public FlowLog? FlowLog { get; init; }
    /// <summary>The shape model for TLS flows without keys (docs/shape-classifier.md); null turns shape scoring off.</summary>
    public Classifier.Shape.ShapeModel? ShapeModel { get; init; }
    /// <summary>
    /// Score a file's settled TLS sessions early once this many ended flows wait (Shape.ShapeStage.Options), so
    /// memory stays bounded on long captures; the results are the same as scoring everything at the end.
    /// </summary>
    public int ShapeScoreEarlyAfterFlows { get; init; } = 4096;
    /// <summary>Workers per file (<c>--threads</c>); 1 scans on the calling thread, more shard flows (same results).</summary>
    public int Threads { get; init; } = 1;

    public ScanReport Run(IReadOnlyList<string> files, IProgress<(string File, long Done, long Total)>? progress = null, CancellationToken ct = default)
    {
        var total = new ScanStats();
        var errors = new List<FileError>();
        var perEndpoint = new Dictionary<string, List<Finding>>(StringComparer.Ordinal);
        // One scan time for the whole run: the store then merges this run's files by evidence, not by their order.
        var scannedAt = _time.GetUtcNow().UtcDateTime;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            // The same file named twice (or via another path) is scanned once, so counts are not doubled.
            if (!seen.Add(Path.GetFullPath(file))) continue;
            var (findings, stats, error) = ScanOne(file, scannedAt, progress, ct);
            total.Add(stats);
            if (error is not null) errors.Add(error);
            foreach (var f in findings)
            {
                if (!perEndpoint.TryGetValue(f.Endpoint.Key, out var list)) perEndpoint[f.Endpoint.Key] = list = [];
                list.Add(f);
            }
        }
        var merged = FindingOrder.ForDisplay(perEndpoint.Values.Select(parts => FindingMerger.Merge(FindingMerger.StrongestLast(parts))));
        if (KeyLog is not null) errors.AddRange(KeyLogErrors.Of(KeyLog));
        return new ScanReport(merged, total, errors);
    }

    private (IReadOnlyList<Finding> Findings, ScanStats Stats, FileError? Error) ScanOne(
        string file, DateTime scannedAt, IProgress<(string, long, long)>? progress, CancellationToken ct)
    {
        var stats = new ScanStats();
        if (!File.Exists(file))
        {
            stats.Files++;
            return ([], stats, new FileError(file, null, "file not found"));
        }
        // Hash on the other core while this one scans; the hash identifies the file in the store.
        var hash = store is null ? null : Task.Run(() => Sha256Of(file), ct);
        var aggregator = classifier.CreateAggregator();
        IObservationSink sink = new AggregatingSink(aggregator, stats);
        var shape = ShapeModel is { } model
            ? new Shape.ShapeStage(model, new Shape.ShapeStage.Options { ScoreEarlyAfterFlows = ShapeScoreEarlyAfterFlows })
            : null;
        var fileProgress = progress is null ? null : new Progress<(long done, long total)>(p => progress.Report((file, p.done, p.total)));
        ScanResult result;
        if (Threads > 1)
        {
            var plan = ShardedScanPlan.Create(aggregator, stats, Path.GetFileName(file), KeyLog, FlowLog, shape);
            result = new ShardedCaptureScanner(Threads).Scan(file, plan, stats, fileProgress, ct);
        }
        else
        {
            var tracker = FlowLog is { } flowLog ? new FlowTracker(sink, flowLog.Add) : null;
            var analyzers = new DefaultAnalyzerFactory(tracker ?? sink, Path.GetFileName(file)) { KeyLog = KeyLog, TlsFlows = shape };
            var factory = tracker?.Wrap(analyzers) ?? analyzers;
            result = _scanner.Scan(file, factory, stats, fileProgress, ct);
            analyzers.Counters.AddTo(stats);
        }
        // Shape observations go to the aggregator only: the flow tracker has already closed every flow.
        var shapeScores = shape?.Finish(sink, Path.GetFileName(file));
        var findings = aggregator.Snapshot();
        aggregator.CopyLimitsTo(stats);
        FlowLog?.Resolve(findings, shapeScores is null ? null : (shapeScores, ShapeModel!.Threshold));
        FileError? error = result.Error is { } e ? new FileError(file, e.Offset, Reason(e.Message, file, e.Offset)) : null;
        if (error is not null) logger.LogWarning("{File}: stopped reading: {Message}", file, error.Message);
        foreach (var anomaly in stats.Anomalies)
            logger.LogWarning("{File}: analyzer fault {Anomaly}; that flow was dropped", file, anomaly);
        if (aggregator.LimitSummary() is { } limits) logger.LogWarning("{File}: {Limits}", file, limits);

        if (store is not null && hash is not null)
        {
            var info = new FileInfo(file);
            store.SaveFileResult(Path.GetFullPath(file), hash.GetAwaiter().GetResult(), info.Length, stats, error?.Message, findings,
                scannedAt);
        }
        return (findings, stats, error);
    }

    /// <summary>The message without the file name and offset, which the error line prints once, in front.</summary>
    private static string Reason(string message, string file, long? offset)
    {
        if (message.StartsWith(file + ": ", StringComparison.Ordinal)) message = message[(file.Length + 2)..];
        if (offset is not { } at) return message;
        var text = at.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return message.Replace($" (at byte offset {text})", "", StringComparison.Ordinal)
            .Replace($" at byte offset {text}", "", StringComparison.Ordinal);
    }

    private static string Sha256Of(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
