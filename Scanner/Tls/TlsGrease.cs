namespace ShadowMcp.Scanner.Tls;

/// <summary>GREASE values (RFC 8701): 0x?A?A with both bytes equal. JA4 and version picking ignore them.</summary>
internal static class TlsGrease
{
    public static bool Is(int value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);
}
