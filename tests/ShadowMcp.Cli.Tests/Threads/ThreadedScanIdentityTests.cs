using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;

namespace ShadowMcp.Cli.Tests.Threads;

/// <summary>
/// <c>--threads</c> changes nothing but speed: for every corpus capture and the bundled sample, one, two and four
/// workers write the same JSON document (memoryPeakBytes included) and the same flow log, line for line.
/// </summary>
public sealed class ThreadedScanIdentityTests
{
    private static readonly Lazy<McpClassifier> Shipped = new(() => McpClassifier.Create(RepoPaths.Rules));
    private static ShapeModel Model =>
        ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"));

    private static IEnumerable<string> Captures() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Corpus, "pcaps"))
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Corpus, "shape", "pcaps")))
            .Append(RepoPaths.Sample)
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f))
            .Order(StringComparer.Ordinal);

    private static (string Json, string FlowLog) Scan(IReadOnlyList<string> files, int threads)
    {
        var flowLog = new MemoryStream();
        ScanReport report;
        using (var log = FlowLog.Create(flowLog))
        {
            report = new ScanRunner(Shipped.Value, store: null, NullLogger.Instance)
            {
                FlowLog = log, ShapeModel = Model, Threads = threads,
            }.Run(files);
        }
        var json = new StringWriter();
        new JsonScanReportWriter().Write(report, json);
        return (json.ToString(), System.Text.Encoding.UTF8.GetString(flowLog.ToArray()));
    }

    [TestCaseSource(nameof(Captures))]
    public void Scan_Capture_TwoAndFourThreadsGiveOneThreadsOutput(string relative)
    {
        string[] file = [Path.Combine(RepoPaths.Root, relative)];
        var one = Scan(file, threads: 1);

        Assert.That(one.Json, Does.Contain("\"packets\""));
        Assert.That(Scan(file, threads: 2), Is.EqualTo(one), "2 threads");
        Assert.That(Scan(file, threads: 4), Is.EqualTo(one), "4 threads");
    }

    [Test]
    public void Scan_WholeCorpusInOneRun_FourThreadsGiveOneThreadsOutput()
    {
        var files = Captures().Select(f => Path.Combine(RepoPaths.Root, f)).ToList();
        var one = Scan(files, threads: 1);

        Assert.That(JsonNode.Parse(one.Json)!["findings"]!.AsArray(), Is.Not.Empty);
        Assert.That(Scan(files, threads: 4), Is.EqualTo(one));
    }
}
