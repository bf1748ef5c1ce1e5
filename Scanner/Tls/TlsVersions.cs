namespace ShadowMcp.Scanner.Tls;

/// <summary>Names of TLS protocol versions in the forms the observations and JA4 use.</summary>
internal static class TlsVersions
{
    public const int Tls12 = 0x0303;
    public const int Tls13 = 0x0304;

    /// <summary>"TLS1.3" style, as <c>tls.clienthello</c> has always reported it.</summary>
    public static string LongName(int version) => version switch
    {
        0x0304 => "TLS1.3",
        0x0303 => "TLS1.2",
        0x0302 => "TLS1.1",
        0x0301 => "TLS1.0",
        0x0300 => "SSL3.0",
        _ => $"0x{version:x4}",
    };

    /// <summary>"1.3" style, for <c>tls.serverhello</c>.</summary>
    public static string ShortName(int version) => version switch
    {
        0x0304 => "1.3",
        0x0303 => "1.2",
        0x0302 => "1.1",
        0x0301 => "1.0",
        0x0300 => "ssl3",
        _ => $"0x{version:x4}",
    };

    /// <summary>The two characters JA4 and JA4S use for a version.</summary>
    public static string Ja4Code(int version) => version switch
    {
        0x0304 => "13",
        0x0303 => "12",
        0x0302 => "11",
        0x0301 => "10",
        0x0300 => "s3",
        0x0002 => "s2",
        0xFEFF => "d1",
        0xFEFD => "d2",
        0xFEFC => "d3",
        _ => "00",
    };
}
