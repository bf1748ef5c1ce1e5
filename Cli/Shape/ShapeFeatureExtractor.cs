using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Decryption;
using ShadowMcp.Scanner.Flows;

namespace ShadowMcp.Cli.Shape;

/// <summary>
/// Builds the labelled feature table from captures WITH their key logs: every TLS flow's shape features (what
/// is visible without keys), labelled by what the decrypted scan of the same flow found (mcp when its verdict is
/// mcp, not-mcp when its content was read and held no MCP). Flows whose content could not be read are left out
/// and counted. The session plan (sessions.csv from tests/corpus/shape/generate.sh) names each server port's
/// family, client stack, TLS version and HTTP version; without one (a capture made elsewhere) each flow's family is
/// the capture's file name.
/// </summary>
/// <remarks>
/// Without a key log and plan (<see cref="KnownNotMcp"/>), every TLS flow is labelled not-mcp under one family:
/// for captures known to hold no MCP, such as machine-made traffic, to see what the model makes of their shape.
/// </remarks>
internal sealed class ShapeFeatureExtractor(
    McpClassifier classifier, TlsKeyLog? keyLog, IReadOnlyDictionary<int, SessionPlan>? plan, string? knownNotMcp = null)
{
    /// <summary>A capture known to hold no MCP: no key log, no plan, every flow not-mcp of this family.</summary>
    public static ShapeFeatureExtractor KnownNotMcp(McpClassifier classifier, string family) =>
        new(classifier, null, null, family);

    public int Unlabelled { get; private set; }
    public int Unplanned { get; private set; }

    public IEnumerable<(ShapeSample Sample, string Session, Scanner.Tls.TlsFlowSummary Flow)> Extract(string file)
    {
        var aggregator = classifier.CreateAggregator();
        var stats = new ScanStats();
        var records = new List<FlowRecord>();
        var tracker = new FlowTracker(new AggregatingSink(aggregator, stats), records.Add);
        var stage = new ShapeStage(null);
        var analyzers = new DefaultAnalyzerFactory(tracker, Path.GetFileName(file))
        {
            KeyLog = keyLog, TlsFlows = stage,
        };
        var result = new CaptureFileScanner().Scan(file, tracker.Wrap(analyzers), stats);
        if (result.Error is { } error) throw new InvalidDataException($"{file}: {error.Message}");
        var findings = aggregator.Snapshot();
        var verdicts = records.ToDictionary(
            r => $"{r.Summary.Protocol}:{r.ClientAddress}:{r.ClientPort}>{r.ServerAddress}:{r.ServerPort}",
            r => FlowVerdict.For(r, findings).Verdict, StringComparer.Ordinal);
        var rows = new List<(ShapeSample, string, Scanner.Tls.TlsFlowSummary)>();
        foreach (var (flow, features) in stage.Features())
        {
            if (knownNotMcp is not null)
            {
                rows.Add((new ShapeSample(flow.Flow.Key, knownNotMcp, "unknown", $"tls{flow.Version}", false, features),
                    $"{flow.Flow.Server}:{flow.Flow.ServerPort}", flow));
                continue;
            }
            var verdict = verdicts.GetValueOrDefault(flow.Flow.Key);
            if (plan is null)
            {
                // No plan (a capture made elsewhere): labelled by decryption all the same, its family the capture's
                // name, a session per server.
                if (verdict is not ("mcp" or "not-mcp")) { Unlabelled++; continue; }
                var name = Path.GetFileNameWithoutExtension(file);
                rows.Add((new ShapeSample(flow.Flow.Key, verdict == "mcp" ? $"mcp:{name}" : name, "unknown",
                    $"tls{flow.Version}", verdict == "mcp", features), $"{flow.Flow.Server}:{flow.Flow.ServerPort}", flow));
                continue;
            }
            if (!plan.TryGetValue(flow.Flow.ServerPort, out var session)) { Unplanned++; continue; }
            if (verdict is not ("mcp" or "not-mcp")) { Unlabelled++; continue; }
            var family = verdict == "mcp" ? $"mcp:{session.Behaviour}" : session.Family;
            rows.Add((new ShapeSample(flow.Flow.Key, family, session.ClientStack, $"{session.Http} tls{flow.Version}",
                verdict == "mcp", features), session.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), flow));
        }
        return rows;
    }
}
