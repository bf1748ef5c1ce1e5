using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Cli.Shape;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;
using static ShadowMcp.Cli.Tests.ShapeTestFlows;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// A file scan scores a TLS session as soon as it can no longer grow and keeps only the score, so a long capture's
/// records do not all wait in memory for the file's end. The results must be exactly those of scoring everything at
/// the end: same scores, same observations in the same order, "several clients" over the whole file. Checked on a
/// capture made of the real keyless shape and TLS corpus captures, replayed minutes apart, several times over.
/// </summary>
public sealed class ShapeEarlyScoringTests
{
    private static readonly Lazy<McpClassifier> Shipped = new(() => McpClassifier.Create(RepoPaths.Rules));
    private static readonly Lazy<string> LongCapture = new(MakeLongCapture);
    private static ShapeModel Model => ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"));

    [Test]
    public void SettledSessionsScoredEarly_GiveTheScoresAndObservationsOfScoringAtTheEnd()
    {
        var (atEndScores, atEnd, _) = RunStage(LongCapture.Value, scoreEarlyAfter: 0);
        var (earlyScores, early, stage) = RunStage(LongCapture.Value, scoreEarlyAfter: 1);

        Assert.Multiple(() =>
        {
            Assert.That(stage.ScoredEarly, Is.GreaterThan(0), "no session settled before the end: the test proves nothing");
            Assert.That(atEndScores, Is.Not.Empty);
            Assert.That(earlyScores, Is.EquivalentTo(atEndScores));
            Assert.That(atEnd, Is.Not.Empty);
            Assert.That(early, Is.EqualTo(atEnd), "the same observations, in the same order");
        });
    }

    [Test]
    public void ScanWithEarlyScoring_WritesTheSameFlowLogAndFindings()
    {
        var (atEndLog, atEndFindings) = Scan(LongCapture.Value, scoreEarlyAfter: 0);
        var (earlyLog, earlyFindings) = Scan(LongCapture.Value, scoreEarlyAfter: 1);

        Assert.Multiple(() =>
        {
            Assert.That(earlyLog, Is.EqualTo(atEndLog));
            Assert.That(earlyFindings, Is.EqualTo(atEndFindings));
            Assert.That(atEndLog, Does.Contain("\"basis\":\"shape\""));
        });
    }

    [Test]
    public void AClientBackWithinTheSessionGap_IsScoredWithItsFirstConnectionNotBeforeIt()
    {
        // Two connections of one client to one server, the second 2 s after the first ended: one session at the
        // file's end. Scored early, the first must wait until the session can no longer grow.
        var t0 = new DateTime(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);
        var first = Flow("10.0.0.5", 50001, t0,
            (true, 520, 0), (false, 700, 0.05), (true, 90, 0.1), (false, 40, 0.12), (true, 330, 0.3), (false, 2600, 0.4));
        var second = Flow("10.0.0.5", 50002, t0.AddSeconds(2.5),
            (true, 1400, 0), (false, 90, 0.05), (true, 1300, 0.2), (false, 80, 0.3), (true, 60, 0.6), (false, 30, 0.7));
        // ends long after: the first two settle before the file's end
        var later = Flow("10.0.0.5", 50003, t0.AddSeconds(400),
            (true, 520, 0), (false, 700, 0.05), (true, 90, 0.1), (false, 40, 0.12), (true, 330, 0.3), (false, 2600, 0.4));

        var atEnd = new ShapeStage(Model);
        var early = new ShapeStage(Model, new ShapeStage.Options { ScoreEarlyAfterFlows = 1 });
        foreach (var stage in new[] { atEnd, early })
            foreach (var flow in new[] { first, second, later })
            {
                stage.OnTlsFlowStarted(flow);
                stage.OnTlsFlow(flow);
            }

        var expected = atEnd.Finish(new ObservationList(), "test");
        var scored = early.Finish(new ObservationList(), "test");
        Assert.Multiple(() =>
        {
            Assert.That(early.ScoredEarly, Is.EqualTo(2), "the first two flows, once the third ended 400 s later");
            Assert.That(scored, Is.EquivalentTo(expected));
            Assert.That(ShapeSessions.Of([first, second])[0].Flows, Is.EqualTo(2), "one session at the end");
        });
    }

    private static (Dictionary<string, double> Scores, List<string> Observations, ShapeStage Stage) RunStage(string file, int scoreEarlyAfter)
    {
        var stage = new ShapeStage(Model, new ShapeStage.Options { ScoreEarlyAfterFlows = scoreEarlyAfter });
        var stats = new ScanStats();
        new CaptureFileScanner().Scan(file, new DefaultAnalyzerFactory(new ObservationList(), "test") { TlsFlows = stage }, stats);
        var emitted = new ObservationList();
        var scores = stage.Finish(emitted, "test");
        return (scores, [.. emitted.Items.Select(o => $"{o.Flow?.Key} {o.Time:O} {o.Fields}")], stage);
    }

    private static (string FlowLog, string Findings) Scan(string file, int scoreEarlyAfter)
    {
        var output = new MemoryStream();
        ScanReport report;
        using (var log = FlowLog.Create(output))
        {
            report = new ScanRunner(Shipped.Value, store: null, NullLogger.Instance)
            {
                FlowLog = log, ShapeModel = Model, ShapeScoreEarlyAfterFlows = scoreEarlyAfter,
            }.Run([file]);
            Assert.That(report.Errors, Is.Empty);
        }
        return (System.Text.Encoding.UTF8.GetString(output.ToArray()), JsonSerializer.Serialize(report.Findings));
    }

    /// <summary>
    /// Every keyless shape and TLS corpus capture of the first one's link type, each replayed 150 s after the one
    /// before, in three rounds: sessions that settle long before the end, and the same servers seen again later. In
    /// the first round each capture comes back 2 s after its end on new client ports: a session with a pause.
    /// </summary>
    private static string MakeLongCapture()
    {
        var sources = Directory.GetFiles(Path.Combine(RepoPaths.Corpus, "shape", "pcaps"), "*.pcap")
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.Corpus, "tls", "pcaps"), "*.pcap")).Order(StringComparer.Ordinal).ToList();
        var t0 = new DateTime(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);
        int? linkType = null;
        var path = Path.Combine(Directory.CreateTempSubdirectory("shape-early-").FullName, "long.pcap");
        using var output = File.Create(path);
        var slot = 0;
        for (var round = 0; round < 3; round++)
        {
            foreach (var source in sources)
            {
                var (sourceLinkType, frames) = ReadClassicPcap(source);
                if (linkType is null) { linkType = sourceLinkType; WriteHeader(output, sourceLinkType); }
                if (sourceLinkType != linkType || frames.Count == 0) continue;
                var start = t0.AddSeconds(150 * slot++);
                foreach (var (time, data) in frames) WriteRecord(output, start + (time - frames[0].Time), data);
                if (round > 0) continue;
                // The same client comes back 2 s after the end on new connections: one session with the first
                // visit, which therefore must not be scored before the second has ended.
                var again = start + (frames[^1].Time - frames[0].Time) + TimeSpan.FromSeconds(2);
                var servers = ServerPorts(frames);
                foreach (var (time, data) in frames) WriteRecord(output, again + (time - frames[0].Time), WithNewClientPort(data, servers));
            }
        }
        return path;
    }

    // Ethernet, IPv4, TCP: where the ports are (the corpus captures are all of this kind; others are left as they are).
    private static int TcpHeader(byte[] frame) =>
        frame.Length >= 34 && frame[12] == 0x08 && frame[13] == 0x00 && frame[23] == 6 ? 14 + (frame[14] & 0x0f) * 4 : -1;

    /// <summary>The destination ports of the connections' SYNs: the servers'.</summary>
    private static HashSet<int> ServerPorts(List<(DateTime Time, byte[] Data)> frames)
    {
        var servers = new HashSet<int>();
        foreach (var (_, data) in frames)
        {
            var tcp = TcpHeader(data);
            if (tcp > 0 && data.Length >= tcp + 14 && (data[tcp + 13] & 0x12) == 0x02)
                servers.Add(BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(tcp + 2)));
        }
        return servers;
    }

    /// <summary>A copy of the frame with its client port moved by 1000 (checksums are not checked by the scanner).</summary>
    private static byte[] WithNewClientPort(byte[] frame, HashSet<int> servers)
    {
        var copy = (byte[])frame.Clone();
        var tcp = TcpHeader(copy);
        if (tcp < 0 || copy.Length < tcp + 4) return copy;
        foreach (var offset in new[] { tcp, tcp + 2 })
        {
            var port = BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(offset));
            if (!servers.Contains(port)) BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset), (ushort)((port + 1000) % 65536));
        }
        return copy;
    }

    /// <summary>A little-endian, microsecond classic pcap (what the corpus captures are): link type and frames.</summary>
    private static (int LinkType, List<(DateTime Time, byte[] Data)> Frames) ReadClassicPcap(string file)
    {
        var bytes = File.ReadAllBytes(file);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes), Is.EqualTo(0xa1b2c3d4u), $"{file}: not a little-endian µs pcap");
        var linkType = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20));
        var frames = new List<(DateTime, byte[])>();
        for (var at = 24; at + 16 <= bytes.Length;)
        {
            var seconds = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            var micros = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8));
            var time = DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(micros * 10L);
            frames.Add((time, bytes.AsSpan(at + 16, length).ToArray()));
            at += 16 + length;
        }
        return (linkType, frames);
    }

    private static void WriteHeader(Stream output, int linkType)
    {
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)linkType);
        output.Write(header);
    }

    private static void WriteRecord(Stream output, DateTime time, ReadOnlySpan<byte> frame)
    {
        Span<byte> record = stackalloc byte[16];
        var ticks = (time - DateTime.UnixEpoch).Ticks;
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(ticks / TimeSpan.TicksPerSecond));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(ticks % TimeSpan.TicksPerSecond / 10));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
        output.Write(record);
        output.Write(frame);
    }
}
