using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Sharding;

namespace ShadowMcp.Scanner.Live;

/// <summary>
/// Live capture on several cores with the machinery of <see cref="ShardedCaptureScanner"/>: the capture thread is
/// the one reader (one sequential pass, each frame decoded once and sent to its flow's shard), N workers each run
/// their own flow table and analyzers, and the calling thread replays their emissions in one-thread order. A flush
/// is a point in the packet sequence, so each one sees exactly what a one-thread capture would have seen after the
/// same packets.
/// </summary>
public sealed class ShardedLiveCapture
{
    private readonly LiveCaptureOptions _options;
    private readonly ReassemblyOptions _reassembly;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1, or an option is out of range.</exception>
    public ShardedLiveCapture(LiveCaptureOptions options, int threads, ReassemblyOptions? reassembly = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _options = options;
        Threads = threads;
        _reassembly = reassembly ?? new ReassemblyOptions();
        _reassembly.Validate();
    }

    /// <summary>Workers (shards).</summary>
    public int Threads { get; }

    /// <summary>Settings the platform refused (e.g. a kernel buffer size); capture goes on without them.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>
    /// Captures until <paramref name="ct"/> is cancelled. <paramref name="onFlush"/> runs on the calling thread about
    /// every <paramref name="flushInterval"/> and once more at the stop (<see cref="LiveFlushPoint.Final"/>), each
    /// time after the replay of every packet read before the point. The workers' final counters are added to
    /// <paramref name="stats"/>, which also keeps what the replay counts.
    /// </summary>
    /// <exception cref="LiveCaptureException">The interface cannot be opened, reading failed, or a worker failed
    /// (the capture then stops, after a last flush of what the others held).</exception>
    public void Run(ShardPlan plan, ScanStats stats, TimeSpan flushInterval, Action<LiveFlushPoint> onFlush,
        CancellationToken ct, Action<string>? onStarted = null) =>
        Run(plan, stats, onFlush, (feed, stop) =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, stop);
            LiveCapture.Capture(_options, Warnings, feed, flushInterval,
                onInterval: counters => feed.Mark(new FlushMark(counters, Final: false)),
                onStop: counters => feed.Finish(new FlushMark(counters, Final: true)),
                onQuiet: feed.Cut, onStarted, either.Token);
        });

    /// <summary>
    /// The same over any frame source (tests feed a capture file): <paramref name="source"/> feeds frames in capture
    /// order, marks flush points with <see cref="FlushMark"/> and finishes with a final one; it should stop when its
    /// token is cancelled (a worker failed).
    /// </summary>
    internal void Run(ShardPlan plan, ScanStats stats, Action<LiveFlushPoint> onFlush, Action<ShardFeed, CancellationToken> source)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(onFlush);
        var (_, fault) = ShardPipeline.Run(Threads, plan, ShardLimits.For(_reassembly, Threads), stats,
            (feed, stop) =>
            {
                source(feed, stop);
                return 0;
            },
            (mark, workers) =>
            {
                var flush = (FlushMark)mark;
                onFlush(new LiveFlushPoint(workers, flush.Counters, flush.Final));
            });
        if (fault is not { } f) return;
        throw new LiveCaptureException($"{_options.Interface}: capture worker {f.Shard + 1} of {Threads} failed "
            + $"({f.Error.GetType().Name}: {f.Error.Message}); capture stopped after a last flush of what the others held", f.Error);
    }

    /// <summary>A flush point in the packet sequence, with libpcap's counters as the capture thread read them there.</summary>
    internal sealed record FlushMark(CaptureCounters? Counters, bool Final);
}
