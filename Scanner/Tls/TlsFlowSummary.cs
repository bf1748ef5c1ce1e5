using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// What one TLS connection looked like, handed to an <see cref="ITlsFlowSink"/> when it closes: the handshake
/// (names, versions, fingerprints) and the shape of its first application-data records each way, for a later
/// classifier of encrypted flows. Bounded: at most the configured number of records per direction.
/// </summary>
public sealed class TlsFlowSummary
{
    public required FlowRef Flow { get; init; }
    public string? Sni { get; internal set; }
    public IReadOnlyList<string> AlpnOffered { get; internal set; } = [];
    public string? AlpnChosen { get; internal set; }
    /// <summary>Negotiated version ("1.3"), null before a ServerHello.</summary>
    public string? Version { get; internal set; }
    public string? Cipher { get; internal set; }
    public string? Ja4 { get; internal set; }
    public string? Ja4s { get; internal set; }
    /// <summary>At least one record of this connection was decrypted with a key-log secret.</summary>
    public bool Decrypted { get; internal set; }
    public DateTime Start { get; internal set; }
    public long ClientRecords { get; internal set; }
    public long ServerRecords { get; internal set; }
    public long ClientRecordBytes { get; internal set; }
    public long ServerRecordBytes { get; internal set; }
    /// <summary>Whole-life shape counters (all application-data records, not only the first ones).</summary>
    public ShadowMcp.Scanner.Shape.TlsShapeCounters Shape => _shape;
    /// <summary>The first application-data records of each direction, in the order seen.</summary>
    public IReadOnlyList<TlsRecordShape> Records => _records;

    private readonly List<TlsRecordShape> _records = [];
    private ShadowMcp.Scanner.Shape.TlsShapeCounters _shape;

    internal void Count(bool fromClient, int length, DateTime time) => _shape.Add(fromClient, length, time);

    internal void Add(TlsRecordShape shape) => _records.Add(shape);
}
