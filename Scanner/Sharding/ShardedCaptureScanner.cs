using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// Scans a capture on several cores with the same results as <see cref="CaptureFileScanner"/>: one reader reads
/// the file once, in order, decodes each frame once, copies it into a pooled batch and marks it with its flow's
/// shard; N workers, each with its own flow table and analyzers, walk every batch; one merger replays what the
/// workers emitted in the order one thread would have emitted it (<see cref="EmissionKey"/>). The machinery is
/// <see cref="ShardPipeline"/>, shared with live capture.
/// </summary>
/// <remarks>
/// Identical to one thread as long as no flow or memory limit is reached (each shard has 1/N of the limits) and
/// capture times do not run backwards by more than the idle timeout; anomalies are listed shard by shard.
/// <c>memoryPeakBytes</c> is the same too: the merger sums the shards' flow state after each packet.
/// </remarks>
public sealed class ShardedCaptureScanner
{
    private const int CheckInterval = 1024;
    private const long ProgressInterval = 1 << 20;

    private readonly ReassemblyOptions _reassembly;
    private readonly CaptureReaderOptions _reader;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1, or an option is out of range.</exception>
    public ShardedCaptureScanner(int threads, ReassemblyOptions? reassembly = null, CaptureReaderOptions? reader = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _reassembly = reassembly ?? new ReassemblyOptions();
        _reader = reader ?? new CaptureReaderOptions();
        _reassembly.Validate();
        _reader.Validate();
    }

    /// <summary>Workers (shards) per scan.</summary>
    public int Threads { get; }

    /// <summary>Scans the capture file at <paramref name="path"/>; errors, including a missing file, come back in the result.</summary>
    public ScanResult Scan(string path, ShardPlan plan, ScanStats stats,
        IProgress<(long done, long total)>? progress = null, CancellationToken ct = default)
    {
        if (!CaptureFileOpening.TryOpen(path, stats, out var stream, out var failure)) return failure;
        using (stream) return Scan(stream, path, plan, stats, progress, ct);
    }

    /// <summary>Scans a capture from any readable stream (seekable or not); the stream is not disposed.</summary>
    public ScanResult Scan(Stream stream, string name, ShardPlan plan, ScanStats stats,
        IProgress<(long done, long total)>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stats);
        stats.Files++;
        var (result, fault) = ShardPipeline.Run(Threads, plan, ShardLimits.For(_reassembly, Threads), stats,
            (feed, _) => Read(feed, stream, name, progress, ct));
        if (fault is not { } f) return result;
        var (shard, exception) = f;
        return new ScanResult(name, ScanStatus.Failed, new ScanError(name, null, CaptureErrorKind.WorkerFault,
            $"{name}: scan worker {shard + 1} of {Threads} failed ({exception.GetType().Name}: {exception.Message}); " +
            "the flows it held were dropped, the other workers' results were kept"));
    }

    /// <summary>The reader thread: one sequential pass over the capture.</summary>
    private ScanResult Read(ShardFeed feed, Stream stream, string name, IProgress<(long done, long total)>? progress,
        CancellationToken ct)
    {
        CaptureReader? reader = null;
        try
        {
            reader = CaptureReader.Open(stream, name, _reader);
            long total = reader.Length, nextReport = ProgressInterval;
            while (reader.TryReadFrame(out var frame))
            {
                feed.OnFrame(frame.Data, frame.LinkType, frame.Time);
                if (feed.Sequence % CheckInterval != 0) continue;
                if (ct.IsCancellationRequested) return new ScanResult(name, ScanStatus.Canceled, null);
                if (feed.Faulted) break;
                if (progress is not null && reader.Position >= nextReport)
                {
                    progress.Report((reader.Position, total));
                    nextReport = reader.Position + ProgressInterval;
                }
            }

            progress?.Report((reader.Position, total));
            return new ScanResult(name, ScanStatus.Completed, null);
        }
        catch (CaptureFormatException e)
        {
            return CaptureFileOpening.FormatFailed(name, e);
        }
        catch (IOException e)
        {
            return CaptureFileOpening.ReadFailed(name, reader?.Position, e);
        }
        catch (OperationCanceledException)
        {
            // Only the merge's abort cancels the reader; the merge reports why.
            return new ScanResult(name, ScanStatus.Canceled, null);
        }
    }
}
