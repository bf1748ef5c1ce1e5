using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tests.Reassembly.Doubles;

/// <summary>Wants nothing: every flow is uninteresting.</summary>
internal sealed class NullFactory : IAnalyzerFactory
{
    public int CreateCalls { get; private set; }

    public ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload)
    {
        CreateCalls++;
        return null;
    }

    public IDatagramAnalyzer? ForUdp(int sourcePort, int destinationPort) => null;
}
