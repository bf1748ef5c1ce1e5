using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Analysis;

/// <summary>Wraps the sink with the source name and the shared counters, so analyzers only build fields.</summary>
internal sealed class ObservationEmitter(IObservationSink sink, string source, AnalyzerCounters counters,
    ObservationBasis basis = ObservationBasis.Plaintext)
{
    public AnalyzerCounters Counters { get; } = counters;

    /// <summary>The same sink, source and counters, marking what it emits as seen through decryption.</summary>
    public ObservationEmitter Decrypted() => new(sink, source, Counters, ObservationBasis.Decrypted);

    public void Emit(string kind, FlowRef flow, DateTime time, FieldBag fields) =>
        sink.Emit(new Observation { Kind = kind, Flow = flow, Time = time, Fields = fields, Source = source, Basis = basis });
}
