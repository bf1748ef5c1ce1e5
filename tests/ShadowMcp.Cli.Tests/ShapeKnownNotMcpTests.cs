using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Cli.Shape;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// `shadowmcp shape features --not-mcp FAMILY`: the feature rows of a capture known to hold no MCP (machine-made
/// traffic), without key log or plan, so the model's view of it can be studied. Each row must be what a keyless
/// scan scores: the same flows, and the shipped model gives each row the score the flow log reports.
/// </summary>
public sealed class ShapeKnownNotMcpTests
{
    private static readonly Lazy<McpClassifier> Shipped = new(() => McpClassifier.Create(RepoPaths.Rules));
    private static ShapeModel Model =>
        ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"));

    [TestCase("lookalike-jsonrpc-feed.pcap")]
    [TestCase("mcp-ts-agent-stateful.pcap")]
    public void KnownNotMcp_EveryTlsFlowNotMcpOfTheFamily_ScoredAsTheKeylessScanScoresIt(string file)
    {
        var pcap = Path.Combine(RepoPaths.Corpus, "shape", "pcaps", file);
        var model = Model;

        var rows = ShapeFeatureExtractor.KnownNotMcp(Shipped.Value, "machine-made").Extract(pcap).ToList();

        var scanned = KeylessShapeScores(pcap, model);
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.Sample.Family), Has.All.EqualTo("machine-made"));
            Assert.That(rows.Select(r => r.Sample.IsMcp), Has.All.False);
            Assert.That(rows.Select(r => r.Sample.Flow), Is.EquivalentTo(scanned.Keys));
            foreach (var (sample, _, _) in rows)
                Assert.That(model.Score(sample.Features), Is.EqualTo(scanned[sample.Flow]).Within(0.005), sample.Flow);
        });
    }

    /// <summary>The flow log's shape score of every TLS flow of a scan without keys, by flow key.</summary>
    private static Dictionary<string, double> KeylessShapeScores(string pcap, ShapeModel model)
    {
        var output = new MemoryStream();
        using (var log = FlowLog.Create(output))
        {
            var report = new ScanRunner(Shipped.Value, store: null, NullLogger.Instance)
            {
                FlowLog = log, ShapeModel = model,
            }.Run([pcap]);
            Assert.That(report.Errors, Is.Empty);
        }
        return System.Text.Encoding.UTF8.GetString(output.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(f => f.GetProperty("mcp").GetProperty("basis").GetString() == "shape")
            .ToDictionary(f => $"{f.GetProperty("proto").GetString()}:{f.GetProperty("client").GetString()}>" +
                f.GetProperty("server").GetString(), f => f.GetProperty("mcp").GetProperty("score").GetDouble());
    }
}
