using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Analysis;

/// <summary>
/// Wraps the sink with the source name and the shared counters, so analyzers only build fields. When the sink keeps
/// no observation (<see cref="IObservationSink.KeepsObservations"/> false), one observation and one field bag are
/// refilled for every emission: analyzers take their bag from <see cref="Fields"/> and hand it back to <see cref="Emit"/>.
/// When the sink keeps them for a while and then gives them back (<see cref="IObservationSink.Pool"/>), both come from its pool.
/// </summary>
internal sealed class ObservationEmitter
{
    private readonly IObservationSink _sink;
    private readonly string _source;
    private readonly ObservationBasis _basis;
    // Null when the sink keeps observations: each emission then gets its own observation and bag.
    private readonly FieldBag? _bag;
    private readonly Observation? _slot;
    // The sink's pool when it keeps observations for a while and then hands them back (a shard's recorder).
    private readonly ObservationPool? _pool;
    private bool _bagOut;

    public ObservationEmitter(IObservationSink sink, string source, AnalyzerCounters counters,
        ObservationBasis basis = ObservationBasis.Plaintext)
    {
        _sink = sink;
        _source = source;
        _basis = basis;
        Counters = counters;
        _pool = sink.Pool;
        if (sink.KeepsObservations) return;
        // Bodies and event data stay bytes until a reader asks for them: most are never read.
        _bag = new FieldBag(32) { DecodesLazily = true };
        _slot = new Observation { Kind = "", Flow = Unset, Time = default, Fields = _bag };
    }

    private static readonly FlowRef Unset = new("", 0, "", 0, "");

    public AnalyzerCounters Counters { get; }

    /// <summary>The same sink, source and counters, marking what it emits as seen through decryption.</summary>
    public ObservationEmitter Decrypted() => new(_sink, _source, Counters, ObservationBasis.Decrypted);

    /// <summary>
    /// An empty bag for the next observation: the reused one when the sink keeps none and it is not already being
    /// filled, else a new bag of <paramref name="capacity"/>.
    /// </summary>
    public FieldBag Fields(int capacity)
    {
        if (_bag is null || _bagOut) return _pool?.RentFields() ?? new FieldBag(capacity);
        _bagOut = true;
        return _bag;
    }

    /// <summary>Hands back a bag from <see cref="Fields"/> that will not be emitted (the message turned out malformed).</summary>
    public void Discard(FieldBag fields)
    {
        if (!ReferenceEquals(fields, _bag)) return;
        _bag.Clear();
        _bagOut = false;
    }

    public void Emit(string kind, FlowRef flow, DateTime time, FieldBag fields)
    {
        if (_slot is null || !ReferenceEquals(fields, _bag))
        {
            _sink.Emit(_pool?.Fill(kind, flow, time, fields, _source, _basis)
                ?? new Observation { Kind = kind, Flow = flow, Time = time, Fields = fields, Source = _source, Basis = _basis });
            return;
        }
        _slot.Refill(kind, flow, time, fields, _source, _basis);
        try
        {
            _sink.Emit(_slot);
        }
        finally
        {
            _bag.Clear(); // keeps no strings alive and is empty for the next Fields call
            _bagOut = false;
        }
    }
}
