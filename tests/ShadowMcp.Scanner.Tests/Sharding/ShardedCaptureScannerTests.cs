using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Flows;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Sharding;
using ShadowMcp.Scanner.Tests.Decode.Differential;

namespace ShadowMcp.Scanner.Tests.Sharding;

/// <summary>
/// A sharded scan emits exactly what a one-thread scan emits, in the same order: every observation and every
/// flow end of every corpus capture, also when flows expire all the time (a 1 ms idle timeout).
/// </summary>
public class ShardedCaptureScannerTests
{
    private static IEnumerable<string> Corpus() => DifferentialFrames.CorpusFiles();

    private static string PathOf(string relative) => Path.Combine(DifferentialFrames.CorpusRoot, relative);

    internal static string Describe(object item) => item switch
    {
        Observation o => $"obs {o.Time:O} {o.Basis} {o.Source} {o}",
        FlowRecord r => $"flow {r.Key} {r.Summary} {r.Facts.ContentSeen} {string.Join(",", r.Facts.Names)}",
        _ => throw new InvalidOperationException(item.GetType().Name),
    };

    internal sealed class ListSink(List<string> into) : IObservationSink
    {
        public void Emit(Observation observation) => into.Add(Describe(observation));
    }

    private static (List<string> Emitted, ScanStats Stats, ScanResult Result) OneThread(string file, ReassemblyOptions options)
    {
        var emitted = new List<string>();
        var tracker = new FlowTracker(new ListSink(emitted), r => emitted.Add(Describe(r)));
        var stats = new ScanStats();
        var analyzers = new DefaultAnalyzerFactory(tracker, "test");
        var result = new CaptureFileScanner(options).Scan(file, tracker.Wrap(analyzers), stats);
        analyzers.Counters.AddTo(stats);
        return (emitted, stats, result);
    }

    internal static ShardPlan Plan(List<string> emitted, Action<ShardRecorder>? onComplete = null, bool replayKeepsObservations = true,
        HashSet<Observation>? replayedObjects = null) => new()
    {
        // Describing at replay keeps only strings, so the workers may refill the replayed observations.
        ReplayKeepsObservations = replayKeepsObservations,
        CreateWorker = recorder =>
        {
            var tracker = new FlowTracker(recorder, r => recorder.Record(r));
            var analyzers = new DefaultAnalyzerFactory(tracker, "test");
            return new ShardWorkerSetup(tracker.Wrap(analyzers), _ => onComplete?.Invoke(recorder), analyzers.Counters.AddTo);
        },
        Prepare = o => o.Kind,
        Replay = e =>
        {
            if (e.Item is Observation o)
            {
                Assert.That(e.Prepared, Is.EqualTo(o.Kind));
                replayedObjects?.Add(o);
            }
            emitted.Add(Describe(e.Item));
        },
    };

    private static void AssertSameCounts(ScanStats sharded, ScanStats one)
    {
        Assert.That(
            (sharded.Files, sharded.Packets, sharded.Bytes, sharded.Flows, sharded.Malformed, sharded.Fragments,
                sharded.GapBytes, sharded.SegmentsDropped, sharded.FlowEvictions, sharded.AnalyzerFaults, sharded.TlsFlowsWithoutKeys,
                sharded.MemoryPeakBytes),
            Is.EqualTo((one.Files, one.Packets, one.Bytes, one.Flows, one.Malformed, one.Fragments,
                one.GapBytes, one.SegmentsDropped, one.FlowEvictions, one.AnalyzerFaults, one.TlsFlowsWithoutKeys,
                one.MemoryPeakBytes)));
    }

    [TestCaseSource(nameof(Corpus))]
    public void Scan_CorpusCapture_EmitsWhatOneThreadEmitsInItsOrder(string relative)
    {
        var file = PathOf(relative);
        foreach (var options in new[]
                 {
                     new ReassemblyOptions(), new ReassemblyOptions { IdleTimeout = TimeSpan.FromMilliseconds(1) },
                     // Ended connections and UDP flows leave before open ones: the three lists' expiries interleave.
                     new ReassemblyOptions { CloseDelay = TimeSpan.Zero, UdpIdleTimeout = TimeSpan.FromMilliseconds(2), IdleTimeout = TimeSpan.FromMilliseconds(50) },
                 })
        {
            var (expected, oneStats, oneResult) = OneThread(file, options);
            foreach (var (threads, recycle) in new[] { (2, false), (3, false), (2, true) })
            {
                var emitted = new List<string>();
                var stats = new ScanStats();
                var result = new ShardedCaptureScanner(threads, options).Scan(file, Plan(emitted, replayKeepsObservations: !recycle), stats);

                Assert.That(result, Is.EqualTo(oneResult));
                Assert.That(emitted, Is.EqualTo(expected), $"{threads} threads, recycled observations {recycle}, idle timeout {options.IdleTimeout}");
                AssertSameCounts(stats, oneStats);
            }
        }
    }

    [Test]
    public void Scan_OneWorkerFails_TheScanSaysWhichAndKeepsTheOthersResults()
    {
        var file = PathOf("pcaps/cs-stateful-2025-06-18.pcap");
        var (expected, _, _) = OneThread(file, new ReassemblyOptions());
        var emitted = new List<string>();

        var result = new ShardedCaptureScanner(2).Scan(file, Plan(emitted, recorder =>
        {
            if (recorder.Shard == 1) throw new InvalidOperationException("worker broke");
        }), new ScanStats());

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Failed));
        Assert.That(result.Error!.Kind, Is.EqualTo(CaptureErrorKind.WorkerFault));
        Assert.That(result.Error.Message, Does.Contain("worker 2 of 2").And.Contain("worker broke"));
        // The fault came after the worker's flows were flushed: nothing it emitted was lost.
        Assert.That(emitted, Is.EqualTo(expected));
    }

    /// <summary>A pcap of <paramref name="count"/> UDP datagrams, each its own flow.</summary>
    private static MemoryStream UdpCapture(int count)
    {
        var stream = new MemoryStream();
        var w = new BinaryWriter(stream);
        w.Write(0xA1B2C3D4u); w.Write((ushort)2); w.Write((ushort)4); w.Write(0); w.Write(0); w.Write(65535); w.Write(1);
        for (var i = 0; i < count; i++)
        {
            var frame = Decode.Builders.Packet.Ethernet(Decode.Builders.Packet.Ipv4("10.0.0.7", "10.0.0.5", 17,
                Decode.Builders.Packet.Udp((ushort)(10000 + i), 9999, [1, 2, 3])));
            w.Write(1_700_000_000 + i / 1000); w.Write(i % 1000 * 1000); w.Write(frame.Length); w.Write(frame.Length);
            w.Write(frame);
        }
        stream.Position = 0;
        return stream;
    }

    /// <summary>A pcap of UDP datagrams from the given client ports, each at its time (seconds into the capture).</summary>
    private static MemoryStream UdpCapture(params (ushort Port, double Seconds)[] datagrams)
    {
        var stream = new MemoryStream();
        var w = new BinaryWriter(stream);
        w.Write(0xA1B2C3D4u); w.Write((ushort)2); w.Write((ushort)4); w.Write(0); w.Write(0); w.Write(65535); w.Write(1);
        foreach (var (port, seconds) in datagrams)
        {
            var frame = Decode.Builders.Packet.Ethernet(Decode.Builders.Packet.Ipv4("10.0.0.7", "10.0.0.5", 17,
                Decode.Builders.Packet.Udp(port, 9999, [1, 2, 3])));
            var micros = (long)Math.Round(seconds * 1_000_000);
            w.Write((int)(1_700_000_000 + micros / 1_000_000)); w.Write((int)(micros % 1_000_000)); w.Write(frame.Length); w.Write(frame.Length);
            w.Write(frame);
        }
        stream.Position = 0;
        return stream;
    }

    [Test]
    public void Scan_CaptureTimeStepsBackALittle_FlowsExpireAsWithOneThread()
    {
        // The second flow's datagram is 0.1 s earlier than the first's (captures merged from several queues do that).
        // A minute later the second has been quiet for over the UDP timeout and the first not quite: one flow table
        // waits for the first (its oldest), so the shard holding only the second must not close it sooner.
        foreach (var threads in new[] { 2, 3 })
        {
            for (ushort second = 10001; second < 10009; second++)
            {
                (ushort, double)[] datagrams = [(10000, 10.1), (second, 10.0), (20000, 70.05), (20000, 70.2), (20001, 71)];
                var (expected, _, _) = OneThreadOf(UdpCapture(datagrams));
                var emitted = new List<string>();

                new ShardedCaptureScanner(threads).Scan(UdpCapture(datagrams), "udp", Plan(emitted), new ScanStats());

                Assert.That(emitted, Is.EqualTo(expected), $"{threads} threads, second flow from port {second}");
            }
        }
    }

    [Test]
    public void Scan_ReplayKeepsNoObservation_WorkersRefillReplayedOnesAndEmitWhatOneThreadEmits()
    {
        // Many more DNS questions than the batches in flight hold (6 of 512 packets with two workers), each a name of
        // its own: once a batch comes back to a worker, its replayed observations are filled again, and a field left
        // over from their last use would show.
        const int questions = 16 * PacketBatch.MaxPackets;
        var (expected, _, _) = OneThreadOf(DnsCapture(questions));
        var emitted = new List<string>();
        var replayed = new HashSet<Observation>(ReferenceEqualityComparer.Instance);

        var result = new ShardedCaptureScanner(2).Scan(DnsCapture(questions), "dns",
            Plan(emitted, replayKeepsObservations: false, replayedObjects: replayed), new ScanStats());

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(emitted, Is.EqualTo(expected));
        Assert.That(emitted.Count(e => e.StartsWith("obs ", StringComparison.Ordinal)), Is.EqualTo(questions));
        Assert.That(replayed, Has.Count.LessThan(questions / 2), "observations are reused, not made per question");
    }

    [Test]
    public void Scan_ReplayKeepsObservations_EveryObservationIsItsOwn()
    {
        const int questions = 8 * PacketBatch.MaxPackets;
        var replayed = new HashSet<Observation>(ReferenceEqualityComparer.Instance);

        new ShardedCaptureScanner(2).Scan(DnsCapture(questions), "dns", Plan([], replayedObjects: replayed), new ScanStats());

        Assert.That(replayed, Has.Count.EqualTo(questions));
    }

    /// <summary>A pcap of <paramref name="count"/> DNS questions, each from its own port and for its own name.</summary>
    private static MemoryStream DnsCapture(int count)
    {
        var stream = new MemoryStream();
        var w = new BinaryWriter(stream);
        w.Write(0xA1B2C3D4u); w.Write((ushort)2); w.Write((ushort)4); w.Write(0); w.Write(0); w.Write(65535); w.Write(1);
        for (var i = 0; i < count; i++)
        {
            var query = Dns.DnsBytes.Header((ushort)i, 0x0100, 1, 0).Name($"host{i}.example.com").U16(1).U16(1).ToArray();
            var frame = Decode.Builders.Packet.Ethernet(Decode.Builders.Packet.Ipv4("10.0.0.7", "10.0.0.53", 17,
                Decode.Builders.Packet.Udp((ushort)(10000 + i), 53, query)));
            w.Write(1_700_000_000 + i / 1000); w.Write(i % 1000 * 1000); w.Write(frame.Length); w.Write(frame.Length);
            w.Write(frame);
        }
        stream.Position = 0;
        return stream;
    }

    [Test]
    public void Scan_Canceled_EndsCanceledAndFlushesEveryFlowItRead()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var emitted = new List<string>();
        var stats = new ScanStats();

        var result = new ShardedCaptureScanner(2).Scan(UdpCapture(5000), "udp", Plan(emitted), stats, ct: cts.Token);

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Canceled));
        Assert.That(stats.Packets, Is.EqualTo(1024), "the reader stops at its first check");
        Assert.That(emitted, Has.Count.EqualTo(1024).And.All.StartsWith("flow udp:"));
    }

    [Test]
    public void Scan_ManyBatches_EveryBatchGoesBackToThePool()
    {
        var emitted = new List<string>();
        var stats = new ScanStats();
        var (expected, _, _) = OneThreadOf(UdpCapture(3 * PacketBatch.MaxPackets + 5));

        var result = new ShardedCaptureScanner(4).Scan(UdpCapture(3 * PacketBatch.MaxPackets + 5), "udp", Plan(emitted), stats);

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(emitted, Is.EqualTo(expected));
        Assert.That(stats.Flows, Is.EqualTo(3 * PacketBatch.MaxPackets + 5));
    }

    private static (List<string> Emitted, ScanStats Stats, ScanResult Result) OneThreadOf(Stream capture)
    {
        var emitted = new List<string>();
        var tracker = new FlowTracker(new ListSink(emitted), r => emitted.Add(Describe(r)));
        var stats = new ScanStats();
        var result = new CaptureFileScanner().Scan(capture, "udp", tracker.Wrap(new DefaultAnalyzerFactory(tracker, "test")), stats);
        return (emitted, stats, result);
    }

    [Test]
    public void Scan_ReplayThrows_TheExceptionReachesTheCallerAndNothingHangs()
    {
        var plan = new ShardPlan
        {
            CreateWorker = recorder => new ShardWorkerSetup(new DefaultAnalyzerFactory(recorder, "test")),
            Replay = _ => throw new InvalidOperationException("replay broke"),
        };

        var thrown = Assert.Throws<InvalidOperationException>(() =>
            new ShardedCaptureScanner(2).Scan(PathOf("pcaps/cs-stateful-2025-06-18.pcap"), plan, new ScanStats()));
        Assert.That(thrown!.Message, Is.EqualTo("replay broke"));
    }

    [Test]
    public void Scan_NotACapture_FailsLikeOneThread()
    {
        using var stream = new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8]);
        var result = new ShardedCaptureScanner(2).Scan(stream, "junk", Plan([]), new ScanStats());
        Assert.That(result.Error!.Kind, Is.EqualTo(CaptureErrorKind.NotACapture));
    }

    [Test]
    public void Constructor_ZeroThreads_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ShardedCaptureScanner(0));
}
