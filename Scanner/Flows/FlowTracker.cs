using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Flows;

/// <summary>
/// Builds the flow log: passes observations on to the inner sink and keeps, per open flow, the facts they
/// state; when the flow table reports a flow's end, hands its summary and facts to <c>onFlow</c> once.
/// Also the analyzer factory of the scan, delegating to the real one, so the flow table finds the observer.
/// Facts are kept only for flows that produced observations.
/// </summary>
public sealed class FlowTracker(IObservationSink inner, Action<FlowRecord> onFlow) : IObservationSink, IFlowObserver
{
    private readonly Dictionary<FlowEnds, FlowFacts> _open = [];

    /// <summary>The factory to scan with: <paramref name="factory"/>'s analyzers, this tracker's flow ends.</summary>
    public IAnalyzerFactory Wrap(IAnalyzerFactory factory) => new ObservingFactory(factory, this);

    public void Emit(Observation observation)
    {
        inner.Emit(observation);
        var flow = observation.Flow;
        var key = FlowEnds.Of(flow.Client, flow.ClientPort, flow.Server, flow.ServerPort, flow.Protocol);
        if (!_open.TryGetValue(key, out var facts)) _open[key] = facts = new FlowFacts();
        Apply(facts, observation);
    }

    // Facts keep field values (strings) only, so this sink keeps what the inner one keeps.
    public bool KeepsObservations => inner.KeepsObservations;

    public ObservationPool? Pool => inner.Pool;

    public void OnFlowEnd(FlowSummary flow)
    {
        var key = FlowEnds.Of(flow.Initiator, flow.InitiatorPort, flow.Responder, flow.ResponderPort, flow.Protocol);
        if (_open.Remove(key, out var facts)) onFlow(new FlowRecord(flow, facts));
        else onFlow(new FlowRecord(flow, new FlowFacts()));
    }

    private static void Apply(FlowFacts facts, Observation observation)
    {
        var fields = observation.Fields;
        if (observation.Basis == ObservationBasis.Decrypted) facts.Decrypted = true;
        switch (observation.Kind)
        {
            case ObservationKinds.TlsClientHello:
                facts.Sni ??= fields.Get("sni");
                if (facts.AlpnOffered.Count == 0) facts.AlpnOffered.AddRange(fields.GetAll("alpn"));
                facts.Ja4 ??= fields.Get("ja4");
                break;
            case "tls.serverhello":
                facts.TlsVersion ??= fields.Get("version");
                facts.AlpnChosen ??= fields.Get("alpn");
                facts.Ja4s ??= fields.Get("ja4s");
                break;
            case ObservationKinds.HttpRequest or ObservationKinds.HttpResponse:
                facts.ContentSeen = true;
                facts.Http ??= fields.Get("version") is { } version ? (version == "HTTP/2" ? "h2" : "http/1.1") : null;
                if (fields.Get("host") is { } host) facts.AddName(host);
                break;
            case ObservationKinds.Dns:
                facts.ContentSeen = true;
                if (fields.Get("name") is { } name) facts.AddName(name.TrimEnd('.').ToLowerInvariant());
                break;
            default:
                facts.ContentSeen = true;
                break;
        }
    }

    private sealed class ObservingFactory(IAnalyzerFactory factory, FlowTracker tracker) : IAnalyzerFactory, IFlowObserver
    {
        public ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload) =>
            factory.CreateTcp(endpoints, fromInitiator, firstPayload);

        public IDatagramAnalyzer? ForUdp(int sourcePort, int destinationPort) => factory.ForUdp(sourcePort, destinationPort);

        public void OnFlowEnd(FlowSummary flow) => tracker.OnFlowEnd(flow);
    }
}
