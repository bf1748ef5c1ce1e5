using System.Net;
using ShadowMcp.Classifier;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Active;

namespace ShadowMcp.Hosts.Listeners;

/// <summary>
/// Asks each loopback listener whether it speaks MCP with the same spec-correct probe as <c>shadowmcp probe</c>,
/// under an allow list of loopback ranges only: the prober refuses anything else before a byte is sent.
/// </summary>
public sealed class ListenerProbe(McpClassifier classifier, ProbeOptions options)
{
    public static readonly IReadOnlyList<string> LoopbackOnly = ["127.0.0.0/8", "::1/128"];

    public async Task<IReadOnlyList<Finding>> ProbeAsync(IReadOnlyList<IPEndPoint> listeners, CancellationToken ct)
    {
        if (listeners.Count == 0) return [];
        var aggregator = classifier.CreateAggregator();
        var prober = new McpProber(AddressAllowList.Parse(LoopbackOnly), options);
        await prober.ProbeAsync([.. listeners.Select(l => new ProbeTarget(l.Address, l.Port))], new Sink(aggregator), ct);
        return aggregator.Snapshot();
    }

    private sealed class Sink(FindingAggregator aggregator) : IObservationSink
    {
        public void Emit(Observation observation) => aggregator.Add(observation);
    }
}
