using System.Buffers;
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
    /// <remarks>Read them on the thread that feeds the flow, or once it has ended (<see cref="ITlsFlowSink.OnTlsFlow"/>):
    /// while it is open they live in a pooled buffer that is swapped for an exact one when it ends.</remarks>
    public TlsRecordShapes Records => new(this);

    // Records packed one per long (PackedRecordShape), times as offsets from the first; rented from the pool while
    // the flow grows, an exact array once it has ended. A clock jump too far for an offset keeps them unpacked.
    private long[] _packed = [];
    private bool _rented;
    private int _count;
    private DateTime _first;
    private List<TlsRecordShape>? _unpacked;
    private ShadowMcp.Scanner.Shape.TlsShapeCounters _shape;

    internal int RecordCount => _unpacked?.Count ?? _count;

    internal TlsRecordShape RecordAt(int index)
    {
        if (_unpacked is not null) return _unpacked[index];
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
        return PackedRecordShape.Unpack(_packed[index], _first);
    }

    internal void Count(bool fromClient, int length, DateTime time) => _shape.Add(fromClient, length, time);

    internal void Add(TlsRecordShape shape)
    {
        if (_unpacked is not null) { _unpacked.Add(shape); return; }
        if (_count == 0) _first = shape.Time;
        if (!PackedRecordShape.TryPack(shape, _first.Ticks, out long packed))
        {
            Unpack();
            _unpacked!.Add(shape);
            return;
        }
        if (_count == _packed.Length) Grow();
        _packed[_count++] = packed;
    }

    /// <summary>The flow has ended and its summary goes on to a reader: keep the records in an exact array and give
    /// the pooled one back.</summary>
    internal void Seal()
    {
        if (!_rented) return;
        var exact = _count == 0 ? [] : _packed.AsSpan(0, _count).ToArray();
        ReturnRented();
        _packed = exact;
    }

    /// <summary>The summary goes to no reader: give the pooled buffer back and keep nothing.</summary>
    internal void Release()
    {
        if (_rented) ReturnRented();
        _packed = [];
        _count = 0;
        _unpacked = null;
    }

    private void Grow()
    {
        var next = ArrayPool<long>.Shared.Rent(Math.Max(16, _packed.Length * 2));
        _packed.AsSpan(0, _count).CopyTo(next);
        if (_rented) ArrayPool<long>.Shared.Return(_packed);
        _packed = next;
        _rented = true;
    }

    private void ReturnRented()
    {
        ArrayPool<long>.Shared.Return(_packed);
        _packed = [];
        _rented = false;
    }

    private void Unpack()
    {
        _unpacked = new List<TlsRecordShape>(_count + 1);
        for (var i = 0; i < _count; i++) _unpacked.Add(PackedRecordShape.Unpack(_packed[i], _first));
        if (_rented) ReturnRented();
        _packed = [];
        _count = 0;
    }
}
