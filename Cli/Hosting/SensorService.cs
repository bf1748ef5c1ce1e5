using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Commands;
using ShadowMcp.Cli.Configuration;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Store;
using ShadowMcp.Scanner.Live;

namespace ShadowMcp.Cli.Hosting;

/// <summary>
/// The sensor inside `serve`: captures live on the configured interface (on its own thread, since the capture loop
/// blocks) and scans capture files dropped into the watched directory, both into the store.
/// </summary>
internal sealed class SensorService(IOptions<SensorOptions> options, ILogger<SensorService> logger, SensorMetrics metrics) : BackgroundService
{
    private static readonly string[] CaptureExtensions = [".pcap", ".pcapng", ".cap"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Interface is null && o.WatchDirectory is null)
        {
            logger.LogInformation("sensor: no interface and no watch directory configured; not capturing");
            return;
        }
        var config = ShadowMcpConfig.Load(o.DetectionConfig);
        var classifier = McpClassifier.Create(o.Rules ?? RulesLocator.Require(), SanctionedSources.ClassifierOptions(config));
        var db = o.Database ?? StorePaths.Default;
        var tasks = new List<Task>();
        if (o.Interface is not null)
            tasks.Add(Task.Factory.StartNew(() => CaptureLive(o, classifier, db, stoppingToken), stoppingToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default));
        if (o.WatchDirectory is not null) tasks.Add(WatchAsync(o, classifier, db, stoppingToken));
        await Task.WhenAll(tasks);
    }

    private void CaptureLive(SensorOptions o, McpClassifier classifier, string db, CancellationToken ct)
    {
        try
        {
            using var store = FindingStore.Open(db);
            new LiveSensor(classifier, store, logger)
                {
                    Metrics = metrics, ShapeModel = o.Shape ? Shape.ShapeModels.Default() : null, Threads = Math.Max(1, o.Threads),
                }.Run(new LiveCaptureOptions { Interface = o.Interface!, Filter = o.Filter },
                TimeSpan.FromSeconds(Math.Max(1, o.FlushSeconds)), ct);
        }
        catch (LiveCaptureException ex)
        {
            logger.LogError("sensor: {Message}", ex.Message);
        }
    }

    private async Task WatchAsync(SensorOptions o, McpClassifier classifier, string db, CancellationToken ct)
    {
        var seen = new Dictionary<string, (long Size, DateTime Written)>(StringComparer.Ordinal);
        var pending = new Dictionary<string, long>(StringComparer.Ordinal);
        Directory.CreateDirectory(o.WatchDirectory!);
        logger.LogInformation("sensor: watching {Directory} for capture files", o.WatchDirectory);
        while (!ct.IsCancellationRequested)
        {
            foreach (var file in Directory.EnumerateFiles(o.WatchDirectory!).Order(StringComparer.Ordinal))
            {
                if (!CaptureExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)) continue;
                var info = new FileInfo(file);
                if (seen.TryGetValue(file, out var known) && known == (info.Length, info.LastWriteTimeUtc)) continue;
                // A file still being written changes size between polls: wait until it holds still once.
                if (!pending.TryGetValue(file, out var size) || size != info.Length)
                {
                    pending[file] = info.Length;
                    continue;
                }
                pending.Remove(file);
                seen[file] = (info.Length, info.LastWriteTimeUtc);
                using var store = FindingStore.Open(db);
                var report = new ScanRunner(classifier, store, logger) { ShapeModel = o.Shape ? Shape.ShapeModels.Default() : null }
                    .Run([file], null, ct);
                logger.LogInformation("sensor: {File}: {Findings} findings, {Packets} packets{Error}", file, report.Findings.Count,
                    report.Stats.Packets, report.Errors.Count > 0 ? $" ({report.Errors[0]})" : "");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, o.PollSeconds)), ct); }
            catch (OperationCanceledException) { break; }
        }
    }
}
