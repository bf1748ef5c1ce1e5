namespace ShadowMcp.Core.Observations;

/// <summary>
/// One fact the Scanner saw on the wire: an HTTP message, a JSON-RPC message, an SSE event, a DNS answer,
/// a TLS ClientHello. It says what was seen, never what it means; the Classifier decides.
/// </summary>
public sealed class Observation
{
    /// <summary>One of <see cref="ObservationKinds"/>.</summary>
    public required string Kind { get; init; }

    public required FlowRef Flow { get; init; }

    /// <summary>Capture time of the packet that completed the observation, UTC.</summary>
    public required DateTime Time { get; init; }

    public required FieldBag Fields { get; init; }

    /// <summary>Where it came from: a capture file name, an interface or "probe".</summary>
    public string? Source { get; init; }

    /// <summary>Plaintext on the wire, or decrypted with a TLS key log.</summary>
    public ObservationBasis Basis { get; init; }

    public override string ToString() => $"{Kind} {Flow.Key} {Fields}";
}
