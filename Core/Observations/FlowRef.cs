namespace ShadowMcp.Core.Observations;

/// <summary>
/// Who talked to whom. "Client" is the side that opened the conversation (sent the SYN, the HTTP request,
/// the DNS query or the TLS ClientHello); "Server" is the other side. Addresses are in canonical text form.
/// </summary>
public sealed record FlowRef(string Client, int ClientPort, string Server, int ServerPort, string Protocol)
{
    // Made once per flow, not once per read: the aggregator asks for it for every observation it files.
    private string? _key;

    /// <summary>Stable text key for the flow, used to count distinct flows per finding.</summary>
    public string Key => _key ??= $"{Protocol}:{Client}:{ClientPort}>{Server}:{ServerPort}";

    // Written out so the cached key takes no part in equality, and a copy made with `with` computes its own.
    private FlowRef(FlowRef original)
    {
        Client = original.Client;
        ClientPort = original.ClientPort;
        Server = original.Server;
        ServerPort = original.ServerPort;
        Protocol = original.Protocol;
    }

    public bool Equals(FlowRef? other) => other is not null && ClientPort == other.ClientPort && ServerPort == other.ServerPort
        && string.Equals(Client, other.Client, StringComparison.Ordinal) && string.Equals(Server, other.Server, StringComparison.Ordinal)
        && string.Equals(Protocol, other.Protocol, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Client, ClientPort, Server, ServerPort, Protocol);
}
