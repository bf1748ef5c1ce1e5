using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Flows;

/// <summary>
/// One finished flow for the flow log: its ends (client = SYN sender, or for UDP the side that is not port 53),
/// volume each way, and what was seen in it.
/// </summary>
public sealed class FlowRecord(FlowSummary summary, FlowFacts facts)
{
    private const int DnsPort = 53;

    /// <summary>For UDP the side on port 53 is the server, whoever sent first.</summary>
    public bool Swapped { get; } = summary.Protocol == "udp" && summary.InitiatorPort == DnsPort && summary.ResponderPort != DnsPort;

    public FlowSummary Summary { get; } = summary;
    public FlowFacts Facts { get; } = facts;

    public string ClientAddress => Swapped ? Summary.Responder : Summary.Initiator;
    public int ClientPort => Swapped ? Summary.ResponderPort : Summary.InitiatorPort;
    public string ServerAddress => Swapped ? Summary.Initiator : Summary.Responder;
    public int ServerPort => Swapped ? Summary.InitiatorPort : Summary.ResponderPort;
    public long PacketsToServer => Swapped ? Summary.PacketsFromResponder : Summary.PacketsFromInitiator;
    public long BytesToServer => Swapped ? Summary.BytesFromResponder : Summary.BytesFromInitiator;
    public long PacketsToClient => Swapped ? Summary.PacketsFromInitiator : Summary.PacketsFromResponder;
    public long BytesToClient => Swapped ? Summary.BytesFromInitiator : Summary.BytesFromResponder;

    /// <summary>The flow's key as <see cref="Core.Observations.FlowRef.Key"/> writes it: proto:client:port>server:port.</summary>
    public string Key => $"{Summary.Protocol}:{ClientAddress}:{ClientPort}>{ServerAddress}:{ServerPort}";

    /// <summary>"ip:port", IPv6 as "[addr]:port".</summary>
    public static string Format(string address, int port) => address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
}
