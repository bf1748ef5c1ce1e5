using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Flows;
using ShadowMcp.Scanner.Live;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Sharding;
using ShadowMcp.Scanner.Tests.Decode.Differential;
using static ShadowMcp.Scanner.Tests.Sharding.ShardedCaptureScannerTests;

namespace ShadowMcp.Scanner.Tests.Sharding;

/// <summary>
/// A sharded live capture flushes at points in the packet sequence: at each flush everything read before it has been
/// replayed in one-thread order, and the workers' counters are what one thread's are after the same packets. Fed
/// from the corpus (the libpcap loop is the same for one thread and many; the sensor test covers it end to end), with
/// partial batches handed over at odd places as a live capture does when nothing more is ready.
/// </summary>
public class ShardedLiveCaptureTests
{
    private const int FlushEvery = 13;
    private const int QuietEvery = 5;

    private static readonly LiveCaptureOptions Interface = new() { Interface = "test0" };

    private static IEnumerable<string> Corpus() => DifferentialFrames.CorpusFiles();

    private static List<(DateTime Time, byte[] Frame, int LinkType)> Frames(string relative)
    {
        using var stream = File.OpenRead(Path.Combine(DifferentialFrames.CorpusRoot, relative));
        var reader = Scanner.Capture.CaptureReader.Open(stream, relative);
        var frames = new List<(DateTime, byte[], int)>();
        while (reader.TryReadFrame(out var frame)) frames.Add((frame.Time, frame.Data.ToArray(), frame.LinkType));
        return frames;
    }

    private static string Counts(ScanStats s) =>
        $"packets {s.Packets} bytes {s.Bytes} flows {s.Flows} malformed {s.Malformed} fragments {s.Fragments} "
        + $"gaps {s.GapBytes} dropped {s.SegmentsDropped} evictions {s.FlowEvictions} faults {s.AnalyzerFaults} "
        + $"tls-no-keys {s.TlsFlowsWithoutKeys} http2-frames {s.Http2Frames} peak {s.MemoryPeakBytes}";

    /// <summary>
    /// One thread, flushing after every <see cref="FlushEvery"/> packets and at the end: what it had emitted and
    /// counted then, the analyzers' own counters so far included, as the sensor stores them.
    /// </summary>
    private static (List<(List<string> Emitted, string Counts)> Flushes, string Final) OneThread(
        List<(DateTime Time, byte[] Frame, int LinkType)> frames, ReassemblyOptions options)
    {
        var emitted = new List<string>();
        var stats = new ScanStats();
        var tracker = new FlowTracker(new ListSink(emitted), r => emitted.Add(Describe(r)));
        var analyzers = new DefaultAnalyzerFactory(tracker, "test");
        var processor = new PacketProcessor(tracker.Wrap(analyzers), stats, options);
        var flushes = new List<(List<string>, string)>();
        for (var i = 0; i < frames.Count; i++)
        {
            processor.OnFrame(frames[i].Frame, frames[i].LinkType, frames[i].Time);
            if ((i + 1) % FlushEvery == 0) flushes.Add(([.. emitted], Counts(WithAnalyzerCounters(stats, analyzers))));
        }
        processor.Finish();
        analyzers.Counters.AddTo(stats);
        flushes.Add(([.. emitted], Counts(stats)));
        return (flushes, Counts(stats));
    }

    private static ScanStats WithAnalyzerCounters(ScanStats stats, DefaultAnalyzerFactory analyzers)
    {
        var copy = new ScanStats();
        copy.Add(stats);
        analyzers.Counters.AddTo(copy);
        return copy;
    }

    private static (List<(List<string> Emitted, string Counts)> Flushes, List<bool> Final) Sharded(
        List<(DateTime Time, byte[] Frame, int LinkType)> frames, ReassemblyOptions options, int threads, ScanStats stats,
        List<string> emitted, ShardPlan? plan = null)
    {
        var flushes = new List<(List<string>, string)>();
        var final = new List<bool>();
        new ShardedLiveCapture(Interface, threads, options).Run(plan ?? Plan(emitted), stats, point =>
        {
            flushes.Add(([.. emitted], Counts(point.Workers)));
            final.Add(point.Final);
        }, (feed, _) =>
        {
            for (var i = 0; i < frames.Count; i++)
            {
                feed.OnFrame(frames[i].Frame, frames[i].LinkType, frames[i].Time);
                if ((i + 1) % QuietEvery == 0) feed.Cut();
                if ((i + 1) % FlushEvery == 0) feed.Mark(new ShardedLiveCapture.FlushMark(null, Final: false));
            }
            feed.Finish(new ShardedLiveCapture.FlushMark(null, Final: true));
        });
        return (flushes, final);
    }

    [TestCaseSource(nameof(Corpus))]
    public void Run_CorpusCapture_EachFlushHasWhatOneThreadHadAfterTheSamePackets(string relative)
    {
        var frames = Frames(relative);
        foreach (var options in new[] { new ReassemblyOptions(), new ReassemblyOptions { IdleTimeout = TimeSpan.FromMilliseconds(1) } })
        {
            var (expected, expectedFinal) = OneThread(frames, options);
            foreach (var threads in new[] { 2, 3 })
            {
                var stats = new ScanStats();
                var (flushes, final) = Sharded(frames, options, threads, stats, []);

                Assert.That(flushes, Has.Count.EqualTo(expected.Count));
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.That(flushes[i].Emitted, Is.EqualTo(expected[i].Emitted), $"flush {i}, {threads} threads, idle {options.IdleTimeout}");
                    Assert.That(flushes[i].Counts, Is.EqualTo(expected[i].Counts), $"flush {i}, {threads} threads, idle {options.IdleTimeout}");
                }
                Assert.That(final, Is.EqualTo(Enumerable.Repeat(false, expected.Count - 1).Append(true)));
                Assert.That(Counts(stats), Is.EqualTo(expectedFinal), "the workers' final counters reach the caller");
            }
        }
    }

    [Test]
    public void Run_WorkerFails_LastFlushKeepsTheOthersAndTheRunSaysWhichFailed()
    {
        var frames = Frames("pcaps/cs-stateful-2025-06-18.pcap");
        var emitted = new List<string>();
        var plan = Plan(emitted, recorder =>
        {
            if (recorder.Shard == 1) throw new InvalidOperationException("worker broke");
        });

        var thrown = Assert.Throws<LiveCaptureException>(() => Sharded(frames, new ReassemblyOptions(), 2, new ScanStats(), emitted, plan));

        Assert.That(thrown!.Message, Does.Contain("test0: capture worker 2 of 2 failed").And.Contain("worker broke"));
        // The fault came after the worker's flows were closed: everything reached the last flush.
        Assert.That(emitted, Is.EqualTo(OneThread(frames, new ReassemblyOptions()).Flushes[^1].Emitted));
    }

    [Test]
    public void Run_ReplayThrows_TheCaptureIsToldToStopAndTheExceptionReachesTheCaller()
    {
        var frames = Frames("pcaps/cs-stateful-2025-06-18.pcap");
        var plan = new ShardPlan
        {
            CreateWorker = recorder => new ShardWorkerSetup(new DefaultAnalyzerFactory(recorder, "test")),
            Replay = _ => throw new InvalidOperationException("replay broke"),
        };
        var stopped = false;

        var thrown = Assert.Throws<InvalidOperationException>(() => new ShardedLiveCapture(Interface, 2).Run(plan, new ScanStats(), _ => { },
            (feed, stop) =>
            {
                // A live source reads until it is stopped; this one replays the capture until the pipeline says so.
                try
                {
                    for (var round = 0; round < 10_000 && !stop.IsCancellationRequested; round++)
                    {
                        foreach (var (time, frame, linkType) in frames) feed.OnFrame(frame, linkType, time);
                        feed.Cut();
                    }
                }
                catch (OperationCanceledException)
                {
                    // Waiting for a free batch ends too once the pipeline aborted.
                }
                stopped = stop.IsCancellationRequested;
                feed.Finish(new ShardedLiveCapture.FlushMark(null, Final: true));
            }));

        Assert.That(thrown!.Message, Is.EqualTo("replay broke"));
        Assert.That(stopped, Is.True, "the capture was not told to stop");
    }
}
