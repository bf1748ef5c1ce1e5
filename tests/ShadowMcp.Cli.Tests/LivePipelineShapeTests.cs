using System.Buffers.Binary;
using System.Text.Json;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// The live sensor's pipeline (the analyzers, shape stage, findings and flow log that `shadowmcp sensor` runs behind
/// libpcap), fed a keyless TLS capture of an MCP session instead of an interface: shape-scored flows reach the flow log
/// and the findings at the flush after their session settles, as in `scan`.
/// </summary>
public sealed class LivePipelineShapeTests
{
    private static readonly Lazy<McpClassifier> Shipped = new(() => McpClassifier.Create(RepoPaths.Rules));
    private static ShapeModel Model =>
        ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"));
    private static readonly string Pcap = Path.Combine(RepoPaths.Corpus, "shape", "pcaps", "mcp-ts-agent-stateful.pcap");

    [Test]
    public void Flush_AfterSessionSettles_ShapeScoredFlowsReachFlowLogAndFinding()
    {
        var output = new MemoryStream();
        using var log = FlowLog.Create(output);
        var pipeline = Feed(log, Model);
        var last = LastPacketTime(Pcap);

        // One second after the last packet the session may still grow: its TLS flows wait, unscored and unwritten.
        var early = pipeline.Flush(last.AddSeconds(1), final: false);
        var before = Lines(output);
        // Five seconds of quiet later the session has settled: scored, written, and the finding made.
        var settled = pipeline.Flush(last.AddSeconds(10), final: false);
        var after = Lines(output);

        var shaped = after.Where(f => f.GetProperty("mcp").GetProperty("basis").GetString() == "shape").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(early, Is.Empty);
            Assert.That(before.Where(f => f.GetProperty("proto").GetString() == "tcp"), Is.Empty);
            Assert.That(shaped, Is.Not.Empty);
            Assert.That(shaped.Where(f => f.GetProperty("mcp").GetProperty("verdict").GetString() == "mcp")
                .Select(f => f.GetProperty("mcp").GetProperty("score").GetDouble()),
                Is.Not.Empty.And.All.GreaterThanOrEqualTo(Model.Threshold));
            Assert.That(settled.Select(f => f.Verdict), Is.EqualTo(new[] { Verdict.Suspected }));
        });
    }

    [Test]
    public void Flush_Final_ScoresFlowsWhoseSessionHasNotSettled()
    {
        var output = new MemoryStream();
        using var log = FlowLog.Create(output);
        var pipeline = Feed(log, Model);

        var findings = pipeline.Flush(LastPacketTime(Pcap), final: true);

        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => f.Verdict), Is.EqualTo(new[] { Verdict.Suspected }));
            Assert.That(Lines(output).Where(f => f.GetProperty("proto").GetString() == "tcp")
                .Select(f => f.GetProperty("mcp").GetProperty("basis").GetString()), Has.All.EqualTo("shape"));
        });
    }

    [Test]
    public void Flush_WithoutShapeModel_WritesFlowsAtOnceUnjudged()
    {
        var output = new MemoryStream();
        using var log = FlowLog.Create(output);
        var pipeline = Feed(log, shapeModel: null);

        var findings = pipeline.Flush(LastPacketTime(Pcap), final: false);

        var tcp = Lines(output).Where(f => f.GetProperty("proto").GetString() == "tcp").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(findings, Is.Empty);
            Assert.That(tcp, Is.Not.Empty);
            Assert.That(tcp.Select(f => f.GetProperty("mcp").GetProperty("verdict").GetString()), Has.All.EqualTo("unknown"));
        });
    }

    /// <summary>Feeds every packet of the capture through the sensor's pipeline; the file's end closes every flow.</summary>
    private static LivePipeline Feed(FlowLog log, ShapeModel? shapeModel)
    {
        var stats = new ScanStats();
        var pipeline = new LivePipeline(Shipped.Value, "live:test", stats, keyLog: null, log, shapeModel);
        var result = new CaptureFileScanner().Scan(Pcap, pipeline.Factory, stats);
        Assert.That(result.Error, Is.Null);
        return pipeline;
    }

    private static List<JsonElement> Lines(MemoryStream output) =>
        System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    /// <summary>The time of the last packet of a classic little-endian microsecond pcap (what tcpdump -w writes).</summary>
    private static DateTime LastPacketTime(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes), Is.EqualTo(0xa1b2c3d4u), "classic pcap expected");
        var last = DateTime.MinValue;
        for (var at = 24; at + 16 <= bytes.Length;)
        {
            var seconds = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            var micros = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            last = DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(micros * 10L);
            at += 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8));
        }
        return last;
    }
}
