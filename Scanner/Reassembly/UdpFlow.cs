using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>A UDP flow: only remembers who sent first and caches its endpoints' text.</summary>
internal sealed class UdpFlow(FlowKey key, bool initiatorIsLow) : FlowEntry(key, initiatorIsLow)
{
    private FlowEndpoints? _endpoints;

    public override bool IsOpen => true;

    public FlowEndpoints Endpoints => _endpoints ??= CreateEndpoints("udp");

    public override void Close(DateTime time)
    {
    }
}
