using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tests.Reassembly.Doubles;

/// <summary>Creates a <see cref="RecordingAnalyzer"/> per TCP flow (or none, when <see cref="Accept"/> says no) and records UDP datagrams.</summary>
internal sealed class RecordingFactory : IAnalyzerFactory, IDatagramAnalyzer
{
    public Func<FlowEndpoints, bool> Accept { get; init; } = _ => true;
    public int? WantBytes { get; init; }
    public bool AcceptUdp { get; init; } = true;

    public List<RecordingAnalyzer> Created { get; } = [];
    public int CreateCalls { get; private set; }
    public List<(FlowEndpoints Endpoints, bool FromInitiator, byte[] Payload, DateTime Time)> Datagrams { get; } = [];

    public RecordingAnalyzer Single => Created.Count == 1 ? Created[0] : throw new InvalidOperationException($"{Created.Count} analyzers");

    public ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload)
    {
        CreateCalls++;
        if (!Accept(endpoints)) return null;
        var analyzer = new RecordingAnalyzer(endpoints, fromInitiator) { WantBytes = WantBytes };
        Created.Add(analyzer);
        return analyzer;
    }

    /// <summary>The ALPN each decrypted connection was created with (TLS analyzer's hint), in creation order.</summary>
    public List<string?> Alpns { get; } = [];

    public ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload, string? alpn)
    {
        Alpns.Add(alpn);
        return CreateTcp(endpoints, fromInitiator, firstPayload);
    }

    public IDatagramAnalyzer? ForUdp(int sourcePort, int destinationPort) => AcceptUdp ? this : null;

    public void OnDatagram(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> payload, DateTime time) =>
        Datagrams.Add((endpoints, fromInitiator, payload.ToArray(), time));
}
