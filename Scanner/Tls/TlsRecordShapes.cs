using System.Collections;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// The record shapes of one <see cref="TlsFlowSummary"/>, read in place: a view, not a copy, so reading them
/// allocates nothing. Reads what the summary holds at the time of the read.
/// </summary>
public readonly struct TlsRecordShapes(TlsFlowSummary summary) : IReadOnlyList<TlsRecordShape>
{
    public int Count => summary.RecordCount;

    public TlsRecordShape this[int index] => summary.RecordAt(index);

    public Enumerator GetEnumerator() => new(summary);

    IEnumerator<TlsRecordShape> IEnumerable<TlsRecordShape>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(TlsFlowSummary summary) : IEnumerator<TlsRecordShape>
    {
        private int _index = -1;

        public readonly TlsRecordShape Current => summary.RecordAt(_index);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < summary.RecordCount;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
