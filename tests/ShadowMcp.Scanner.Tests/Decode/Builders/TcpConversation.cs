using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;

namespace ShadowMcp.Scanner.Tests.Decode.Builders;

/// <summary>Ethernet/IPv4 (or IPv6) frames of one TCP connection between a client and a server.</summary>
internal sealed class TcpConversation(string client = "10.0.0.1", ushort clientPort = 40000, string server = "10.0.0.2", ushort serverPort = 80)
{
    public string Client { get; } = client;
    public ushort ClientPort { get; } = clientPort;
    public string Server { get; } = server;
    public ushort ServerPort { get; } = serverPort;

    public int LinkType { get; } = LinkTypes.Ethernet;

    public byte[] FromClient(uint sequence, string payload = "", TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh, uint acknowledgment = 0) =>
        FromClient(sequence, System.Text.Encoding.ASCII.GetBytes(payload), flags, acknowledgment);

    public byte[] FromClient(uint sequence, byte[] payload, TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh, uint acknowledgment = 0) =>
        Frame(Client, ClientPort, Server, ServerPort, sequence, acknowledgment, flags, payload);

    public byte[] FromServer(uint sequence, string payload = "", TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh, uint acknowledgment = 0) =>
        FromServer(sequence, System.Text.Encoding.ASCII.GetBytes(payload), flags, acknowledgment);

    public byte[] FromServer(uint sequence, byte[] payload, TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh, uint acknowledgment = 0) =>
        Frame(Server, ServerPort, Client, ClientPort, sequence, acknowledgment, flags, payload);

    private static byte[] Frame(string source, ushort sourcePort, string destination, ushort destinationPort, uint sequence,
        uint acknowledgment, TcpFlags flags, byte[] payload)
    {
        var segment = Packet.Tcp(sourcePort, destinationPort, sequence, acknowledgment, flags, payload);
        return source.Contains(':')
            ? Packet.Ethernet(Packet.Ipv6(source, destination, 6, segment), Packet.EtherIpv6)
            : Packet.Ethernet(Packet.Ipv4(source, destination, 6, segment));
    }
}
