using System.Globalization;

namespace ShadowMcp.Scanner.Dns;

/// <summary>Names of record types and response codes, as dig prints them.</summary>
internal static class DnsMnemonics
{
    public const ushort A = 1, NS = 2, CNAME = 5, PTR = 12, MX = 15, TXT = 16, AAAA = 28, SVCB = 64, HTTPS = 65;

    public static string Type(ushort type) => type switch
    {
        A => "A", NS => "NS", CNAME => "CNAME", 6 => "SOA", PTR => "PTR", MX => "MX", TXT => "TXT", AAAA => "AAAA",
        33 => "SRV", 35 => "NAPTR", 41 => "OPT", 43 => "DS", 46 => "RRSIG", 47 => "NSEC", 48 => "DNSKEY",
        SVCB => "SVCB", HTTPS => "HTTPS", 252 => "AXFR", 255 => "ANY", 257 => "CAA",
        _ => "TYPE" + type.ToString(CultureInfo.InvariantCulture),
    };

    public static string ResponseCode(int rcode) => rcode switch
    {
        0 => "NOERROR", 1 => "FORMERR", 2 => "SERVFAIL", 3 => "NXDOMAIN", 4 => "NOTIMP", 5 => "REFUSED",
        6 => "YXDOMAIN", 7 => "YXRRSET", 8 => "NXRRSET", 9 => "NOTAUTH", 10 => "NOTZONE",
        _ => "RCODE" + rcode.ToString(CultureInfo.InvariantCulture),
    };
}
