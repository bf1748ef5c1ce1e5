using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Shape;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.Catalogue;
using ShadowMcp.Scanner;
using ShadowMcp.Scanner.Analysis;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// <c>tls.shape</c> comes from the scan's shape stage, not from an analyzer, so the Scanner's contract test cannot
/// see it: this one holds it to the catalogue on the shape corpus's MCP agent captures.
/// </summary>
public class ShapeObservationContractTests
{
    [TestCase("mcp-cs-agent-h2.pcap")]
    [TestCase("mcp-ts-agent-stateful.pcap")]
    public void ShapeStage_McpAgentCapture_EmitsOnlyCataloguedFields(string pcap)
    {
        var stage = new ShapeStage(ShapeModel.LoadDefault());
        var observations = new ObservationList();
        var path = Path.Combine(RepoPaths.Corpus, "shape", "pcaps", pcap);
        var result = new CaptureFileScanner().Scan(path, new DefaultAnalyzerFactory(new ObservationList(), pcap) { TlsFlows = stage }, new ScanStats());
        Assert.That(result.Completed, Is.True, result.Error?.Message);

        stage.Finish(observations, pcap);

        var spec = ObservationCatalogue.Find(ObservationKinds.TlsShape)!;
        Assert.That(observations.Items, Is.Not.Empty, "the shape model scored no flow of an MCP agent capture as MCP");
        var unknown = observations.Items.SelectMany(o => o.Fields.Select(f => f.Key)).Where(k => spec.FieldFor(k) is null).Distinct().ToList();
        Assert.That(unknown, Is.Empty, "tls.shape fields missing from Core/Observations/Catalogue");
    }
}
