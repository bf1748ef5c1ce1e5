namespace ShadowMcp.Scanner.Capture;

/// <summary>The LINKTYPE_ values (tcpdump.org/linktypes.html) the decoder understands.</summary>
internal static class LinkTypes
{
    public const int Null = 0;
    public const int Ethernet = 1;
    /// <summary>DLT_RAW on most BSDs.</summary>
    public const int RawBsd12 = 12;
    /// <summary>DLT_RAW on OpenBSD.</summary>
    public const int RawOpenBsd14 = 14;
    public const int Raw = 101;
    public const int Loop = 108;
    public const int LinuxSll = 113;
    public const int Ipv4 = 228;
    public const int Ipv6 = 229;
    public const int LinuxSll2 = 276;

    public static bool IsSupported(int linkType) => linkType is Null or Ethernet or RawBsd12 or RawOpenBsd14 or Raw
        or Loop or LinuxSll or Ipv4 or Ipv6 or LinuxSll2;

    public static string Describe(int linkType) => linkType switch
    {
        Null => "BSD null",
        Ethernet => "Ethernet",
        RawBsd12 or RawOpenBsd14 or Raw or Ipv4 or Ipv6 => "raw IP",
        Loop => "OpenBSD loop",
        LinuxSll => "Linux cooked (SLL)",
        LinuxSll2 => "Linux cooked v2 (SLL2)",
        _ => "unknown",
    };
}
