namespace ShadowMcp.Core.Observations;

/// <summary>
/// Who talked to whom. "Client" is the side that opened the conversation (sent the SYN, the HTTP request,
/// the DNS query or the TLS ClientHello); "Server" is the other side. Addresses are in canonical text form.
/// </summary>
public sealed record FlowRef(string Client, int ClientPort, string Server, int ServerPort, string Protocol)
{
    /// <summary>Stable text key for the flow, used to count distinct flows per finding.</summary>
    public string Key => $"{Protocol}:{Client}:{ClientPort}>{Server}:{ServerPort}";
}
