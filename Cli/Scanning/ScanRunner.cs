using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Output;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;
using ShadowMcp.Scanner;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Flows;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// The file pipeline: capture -> decode -> reassemble -> observations -> findings -> store, one file at a time.
/// Each file's findings are committed before the next file is read, and a file that fails part-way keeps what
/// was found before the failure.
/// </summary>
public sealed class ScanRunner(McpClassifier classifier, FindingStore? store, ILogger logger, TimeProvider? time = null)
{
    private readonly CaptureFileScanner _scanner = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Where each flow is written when its file ends (docs/flow-log.md); null for none.</summary>
    public FlowLog? FlowLog { get; init; }

    public ScanReport Run(IReadOnlyList<string> files, IProgress<(string File, long Done, long Total)>? progress = null, CancellationToken ct = default)
    {
        var total = new ScanStats();
        var errors = new List<FileError>();
        var perEndpoint = new Dictionary<string, List<Finding>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            var (findings, stats, error) = ScanOne(file, progress, ct);
            total.Add(stats);
            if (error is not null) errors.Add(error);
            foreach (var f in findings)
            {
                if (!perEndpoint.TryGetValue(f.Endpoint.Key, out var list)) perEndpoint[f.Endpoint.Key] = list = [];
                list.Add(f);
            }
        }
        var merged = FindingOrder.ForDisplay(perEndpoint.Values.Select(FindingMerger.Merge));
        return new ScanReport(merged, total, errors);
    }

    private (IReadOnlyList<Finding> Findings, ScanStats Stats, FileError? Error) ScanOne(
        string file, IProgress<(string, long, long)>? progress, CancellationToken ct)
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
        var tracker = FlowLog is { } flowLog ? new FlowTracker(sink, flowLog.Add) : null;
        var analyzers = new DefaultAnalyzerFactory(tracker ?? sink, Path.GetFileName(file));
        var factory = tracker?.Wrap(analyzers) ?? analyzers;
        var fileProgress = progress is null ? null : new Progress<(long done, long total)>(p => progress.Report((file, p.done, p.total)));
        var result = _scanner.Scan(file, factory, stats, fileProgress, ct);
        var findings = aggregator.Snapshot();
        FlowLog?.Resolve(findings);
        FileError? error = result.Error is { } e ? new FileError(file, e.Offset, StripFilePrefix(e.Message, file)) : null;
        if (error is not null) logger.LogWarning("{File}: stopped reading: {Message}", file, error.Message);

        if (store is not null && hash is not null)
        {
            var info = new FileInfo(file);
            store.SaveFileResult(Path.GetFullPath(file), hash.GetAwaiter().GetResult(), info.Length, stats, error?.Message, findings,
                _time.GetUtcNow().UtcDateTime);
        }
        return (findings, stats, error);
    }

    private static string StripFilePrefix(string message, string file) =>
        message.StartsWith(file + ": ", StringComparison.Ordinal) ? message[(file.Length + 2)..] : message;

    private static string Sha256Of(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
