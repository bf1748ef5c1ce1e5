using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// Real TLS captures scanned without their key logs: the shipped shape model decides (docs/shape-classifier.md).
/// The captures are held-out sessions of the shape corpus (tests/corpus/shape/pcaps), never trained on.
/// </summary>
public sealed class ShapeScanTests
{
    private static readonly Lazy<McpClassifier> Shipped = new(() => McpClassifier.Create(RepoPaths.Rules));
    private static ShapeModel Model =>
        ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"));
    private static string Pcap(string name) => Path.Combine(RepoPaths.Corpus, "shape", "pcaps", name);

    [TestCase("mcp-ts-agent-stateful.pcap")]
    [TestCase("mcp-cs-agent-h2.pcap")]
    public void Scan_KeylessMcpSession_FlowsMarkedMcpByShapeAndFindingSuspected(string file)
    {
        var (flows, findings) = Scan(Pcap(file));

        var shaped = flows.Where(f => f.GetProperty("mcp").GetProperty("basis").GetString() == "shape").ToList();
        Assert.That(shaped, Is.Not.Empty);
        var mcp = shaped.Where(f => f.GetProperty("mcp").GetProperty("verdict").GetString() == "mcp").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(mcp, Is.Not.Empty, "no flow of the session was marked mcp");
            Assert.That(mcp.Select(f => f.GetProperty("mcp").GetProperty("score").GetDouble()),
                Has.All.GreaterThanOrEqualTo(Model.Threshold));
            // One client, shape only: suspected, filed under the server address and port.
            Assert.That(findings.Select(f => f.Verdict), Is.EqualTo(new[] { Verdict.Suspected }));
            Assert.That(findings[0].Endpoint.Port, Is.EqualTo(Port(mcp[0])));
        });
    }

    [TestCase("lookalike-jsonrpc-feed.pcap")]
    [TestCase("lookalike-chat-sse.pcap")]
    public void Scan_KeylessLookAlike_NoFlowMarkedMcpAndNoFinding(string file)
    {
        var (flows, findings) = Scan(Pcap(file));

        Assert.Multiple(() =>
        {
            Assert.That(flows.Where(f => f.GetProperty("proto").GetString() == "tcp")
                .Select(f => f.GetProperty("mcp").GetProperty("basis").GetString()), Has.All.EqualTo("shape"));
            Assert.That(flows.Select(VerdictOf), Has.None.EqualTo("mcp"));
            Assert.That(findings, Is.Empty);
        });
    }

    [Test]
    public void Scan_WithoutShapeModel_KeylessFlowsStayUnknown()
    {
        var (flows, findings) = Scan(Pcap("mcp-ts-agent-stateful.pcap"), shape: false);

        Assert.Multiple(() =>
        {
            Assert.That(flows.Select(VerdictOf), Has.All.EqualTo("unknown"));
            Assert.That(findings, Is.Empty);
        });
    }

    private static string? VerdictOf(JsonElement flow) => flow.GetProperty("mcp").GetProperty("verdict").GetString();

    private static int Port(JsonElement flow) => int.Parse(flow.GetProperty("server").GetString()!.Split(':')[^1],
        System.Globalization.CultureInfo.InvariantCulture);

    private static (List<JsonElement> Flows, IReadOnlyList<Finding> Findings) Scan(string file, bool shape = true)
    {
        var output = new MemoryStream();
        ScanReport report;
        using (var log = FlowLog.Create(output))
        {
            report = new ScanRunner(Shipped.Value, store: null, NullLogger.Instance)
            {
                FlowLog = log, ShapeModel = shape ? Model : null,
            }.Run([file]);
            Assert.That(report.Errors, Is.Empty);
        }
        var text = System.Text.Encoding.UTF8.GetString(output.ToArray());
        var flows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (flows, report.Findings);
    }
}
