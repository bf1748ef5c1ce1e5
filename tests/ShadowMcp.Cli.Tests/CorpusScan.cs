using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Output;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Cli.Tests;

/// <summary>Runs the real pipeline (reader, decoder, reassembly, analyzers, shipped rules) over corpus files.</summary>
internal static class CorpusScan
{
    private static readonly Lazy<McpClassifier> Shipped = new(() => McpClassifier.Create(RepoPaths.Rules));

    public static ScanReport Run(params string[] files) => Run(new ClassifierOptions(), files);

    public static ScanReport Run(ClassifierOptions options, params string[] files)
    {
        var classifier = McpClassifier.Create(Shipped.Value.Rules, options);
        return new ScanRunner(classifier, store: null, NullLogger.Instance).Run(files);
    }
}
