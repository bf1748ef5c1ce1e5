namespace ShadowMcp.Core.Observations;

/// <summary>
/// One fact the Scanner saw on the wire: an HTTP message, a JSON-RPC message, an SSE event, a DNS answer,
/// a TLS ClientHello. It says what was seen, never what it means; the Classifier decides.
/// </summary>
public sealed class Observation
{
    // Backing fields, so the analyzers' emitter can refill one observation for a sink that keeps none (Refill).
    private string _kind = "";
    private FlowRef _flow = null!;
    private DateTime _time;
    private FieldBag _fields = null!;
    private string? _source;
    private ObservationBasis _basis;

    /// <summary>One of <see cref="ObservationKinds"/>.</summary>
    public required string Kind { get => _kind; init => _kind = value; }

    public required FlowRef Flow { get => _flow; init => _flow = value; }

    /// <summary>Capture time of the packet that completed the observation, UTC.</summary>
    public required DateTime Time { get => _time; init => _time = value; }

    public required FieldBag Fields { get => _fields; init => _fields = value; }

    /// <summary>Where it came from: a capture file name, an interface or "probe".</summary>
    public string? Source { get => _source; init => _source = value; }

    /// <summary>Plaintext on the wire, or decrypted with a TLS key log.</summary>
    public ObservationBasis Basis { get => _basis; init => _basis = value; }

    /// <summary>The pool that made this observation and takes it back for reuse, if any (<see cref="ObservationPool"/>).</summary>
    internal ObservationPool? Pool { get; init; }

    /// <summary>
    /// Makes this observation the next one. Only for an observation handed to sinks that keep none
    /// (<see cref="IObservationSink.KeepsObservations"/> false), so nobody can see it change.
    /// </summary>
    internal void Refill(string kind, FlowRef flow, DateTime time, FieldBag fields, string? source, ObservationBasis basis)
    {
        _kind = kind;
        _flow = flow;
        _time = time;
        _fields = fields;
        _source = source;
        _basis = basis;
    }

    public override string ToString() => $"{Kind} {Flow.Key} {Fields}";
}
