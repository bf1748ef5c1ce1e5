using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Analysis;

/// <summary>Wraps the sink with the source name and the shared counters, so analyzers only build fields.</summary>
internal sealed class ObservationEmitter(IObservationSink sink, string source, AnalyzerCounters counters)
{
    public AnalyzerCounters Counters { get; } = counters;

    public void Emit(string kind, FlowRef flow, DateTime time, FieldBag fields) =>
        sink.Emit(new Observation { Kind = kind, Flow = flow, Time = time, Fields = fields, Source = source });
}
