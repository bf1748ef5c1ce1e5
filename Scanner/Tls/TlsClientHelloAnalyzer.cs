using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// Reads the first ClientHello of a TLS connection from the side that sent the first handshake record, buffering
/// at most the configured bytes across segments, then asks for no more data. Anything else stops it quietly.
/// </summary>
internal sealed class TlsClientHelloAnalyzer(FlowEndpoints endpoints, bool clientIsInitiator, ObservationEmitter emitter, int maxBytes)
    : ITcpStreamAnalyzer
{
    private byte[]? _buffer;
    private int _buffered;
    private bool _done;

    public bool WantsMoreData => !_done;

    public void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time)
    {
        if (_done || fromInitiator != clientIsInitiator || data.IsEmpty) return;
        if (_buffered == 0)
        {
            // Usually the whole ClientHello is in the first segment: parse it in place.
            var direct = ClientHelloParser.TryParse(data, maxBytes, out var fields);
            if (direct != ClientHelloResult.NeedMore) { Finish(direct, fields, time); return; }
        }
        int take = Math.Min(data.Length, maxBytes + 64 - _buffered); // + room for record headers
        if (take <= 0) { Finish(ClientHelloResult.NotClientHello, null, time); return; }
        _buffer ??= new byte[maxBytes + 64];
        data[..take].CopyTo(_buffer.AsSpan(_buffered));
        _buffered += take;
        var result = ClientHelloParser.TryParse(_buffer.AsSpan(0, _buffered), maxBytes, out var joined);
        if (result != ClientHelloResult.NeedMore) Finish(result, joined, time);
        else if (_buffered >= _buffer.Length) Finish(ClientHelloResult.NotClientHello, null, time);
    }

    public void OnGap(bool fromInitiator, long missingBytes, DateTime time)
    {
        if (fromInitiator == clientIsInitiator && !_done) Finish(ClientHelloResult.NotClientHello, null, time);
    }

    public void OnClose(DateTime time) => _done = true;

    private void Finish(ClientHelloResult result, FieldBag? fields, DateTime time)
    {
        _done = true;
        _buffer = null;
        if (result == ClientHelloResult.Complete && fields is not null)
            emitter.Emit(ObservationKinds.TlsClientHello, endpoints.AsFlowRef(clientIsInitiator), time, fields);
        else emitter.Counters.TlsNotClientHello++;
    }
}
