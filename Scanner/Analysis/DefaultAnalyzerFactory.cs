using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Decryption;
using ShadowMcp.Scanner.Dns;
using ShadowMcp.Scanner.Http;
using ShadowMcp.Scanner.Http2;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Analysis;

/// <summary>
/// Chooses the analyzer for a new flow from its first payload and ports: HTTP/2 (the client preface, or a
/// server's SETTINGS frame first), HTTP/1.x (a request or status line, or
/// an HTTP line further in for a flow picked up mid-stream), a TLS ClientHello from the initiator, or DNS on
/// port 53. Sniffing reads a few bytes and allocates nothing; only a chosen analyzer is allocated.
/// </summary>
public sealed class DefaultAnalyzerFactory : IAnalyzerFactory
{
    private const int DnsPort = 53;

    private readonly ObservationEmitter _emitter;
    private readonly AnalyzerOptions _options;
    private readonly DnsDatagramAnalyzer _dns;
    private readonly HttpAnalyzerPool _http;

    public DefaultAnalyzerFactory(IObservationSink sink, string source, AnalyzerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(source);
        _options = options ?? AnalyzerOptions.Default;
        _options.Validate();
        _emitter = new ObservationEmitter(sink, source, Counters);
        _dns = new DnsDatagramAnalyzer(_emitter);
        _http = new HttpAnalyzerPool(_emitter, _options);
    }

    /// <summary>Chooses analyzers for TLS-decrypted application data: the same choice, observations marked decrypted.</summary>
    private DefaultAnalyzerFactory(DefaultAnalyzerFactory plaintext)
    {
        _options = plaintext._options;
        Counters = plaintext.Counters;
        _emitter = plaintext._emitter.Decrypted();
        _dns = plaintext._dns;
        _http = new HttpAnalyzerPool(_emitter, _options);
    }

    /// <summary>What the analyzers created by this factory dropped or could not parse.</summary>
    public AnalyzerCounters Counters { get; } = new();

    /// <summary>TLS secrets (<c>--keylog</c>); with them, TLS application data is decrypted and analyzed.</summary>
    public TlsKeyLog? KeyLog { get; init; }

    /// <summary>Receives a summary (handshake and record shapes) of every TLS connection when it closes.</summary>
    public ITlsFlowSink? TlsFlows { get; init; }

    private TlsContext? _tls;

    /// <summary>Tests: receives decrypted application data instead of the analyzers this factory would pick.</summary>
    internal IAnalyzerFactory? DecryptedFactoryOverride { get; init; }

    private TlsContext Tls => _tls ??= new TlsContext(KeyLog,
        KeyLog is null ? null : DecryptedFactoryOverride ?? new DefaultAnalyzerFactory(this), TlsFlows);

    public ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload)
    {
        if (fromInitiator && IsHttp2Preface(firstPayload))
            return new Http2Connection(endpoints, _emitter, _options, clientIsInitiator: true);
        if (!fromInitiator && IsHttp2ServerSettings(firstPayload))
            return new Http2Connection(endpoints, _emitter, _options, clientIsInitiator: true);
        var start = HttpStartLine.Classify(firstPayload);
        if (start is StartLineKind.Request or StartLineKind.Response
            || (start == StartLineKind.NeedMore && firstPayload.Length >= 3))
            return _http.Rent(endpoints);
        if (fromInitiator && IsTlsHandshakeRecord(firstPayload))
            return new TlsAnalyzer(endpoints, _emitter, _options, Tls);
        if (endpoints.InitiatorPort == DnsPort || endpoints.ResponderPort == DnsPort)
            return new DnsTcpAnalyzer(endpoints, _emitter);
        if (HttpStartLine.ContainsHttpLine(firstPayload))
            return _http.Rent(endpoints);
        return null;
    }

    /// <summary>
    /// Decrypted data of a TLS connection: the ALPN the server chose decides between HTTP/2 and HTTP/1.x, so h2
    /// is parsed as HTTP/2 whichever side speaks first and however its first frame looks; without ALPN, sniff.
    /// </summary>
    public ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload, string? alpn)
    {
        if (alpn == AlpnH2)
        {
            Counters.TlsAlpnChosenAnalyzer++;
            return new Http2Connection(endpoints, _emitter, _options, clientIsInitiator: true);
        }
        if (alpn is AlpnHttp11 or AlpnHttp10)
        {
            Counters.TlsAlpnChosenAnalyzer++;
            return _http.Rent(endpoints);
        }
        return CreateTcp(endpoints, fromInitiator, firstPayload);
    }

    private const string AlpnH2 = "h2";
    private const string AlpnHttp11 = "http/1.1";
    private const string AlpnHttp10 = "http/1.0";

    public IDatagramAnalyzer? ForUdp(int sourcePort, int destinationPort) =>
        sourcePort == DnsPort || destinationPort == DnsPort ? _dns : null;

    /// <summary>The client connection preface of HTTP/2 with prior knowledge (or its start, if split).</summary>
    private static bool IsHttp2Preface(ReadOnlySpan<byte> payload)
    {
        var preface = Http2FrameType.Preface;
        int length = Math.Min(payload.Length, preface.Length);
        return length >= 4 && payload[..length].SequenceEqual(preface[..length]);
    }

    /// <summary>A server that speaks first with its SETTINGS frame (stream 0, whole 6-byte settings, no flags).</summary>
    private static bool IsHttp2ServerSettings(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Http2FrameType.HeaderLength) return false;
        int length = (payload[0] << 16) | (payload[1] << 8) | payload[2];
        return payload[3] == Http2FrameType.Settings && payload[4] == 0 && length % 6 == 0 && length <= 60
            && payload[5] == 0 && payload[6] == 0 && payload[7] == 0 && payload[8] == 0;
    }

    /// <summary>Content type 22 (handshake), major version 3, minor 0 (SSL 3.0) to 4 (TLS 1.3 drafts).</summary>
    private static bool IsTlsHandshakeRecord(ReadOnlySpan<byte> payload) =>
        payload.Length >= 3 && payload[0] == 0x16 && payload[1] == 0x03 && payload[2] <= 0x04;
}
