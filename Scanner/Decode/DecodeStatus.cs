namespace ShadowMcp.Scanner.Decode;

internal enum DecodeStatus
{
    /// <summary>A TCP or UDP packet; the transport fields are set.</summary>
    Transport,
    /// <summary>Well-formed but of no interest (ARP, ICMP, ESP, ...).</summary>
    Ignored,
    /// <summary>A fragment whose transport header is not in this packet (non-first, or cut short).</summary>
    Fragment,
    /// <summary>Too short or inconsistent to decode.</summary>
    Malformed,
}
