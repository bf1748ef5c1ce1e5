namespace ShadowMcp.Enforcer.Engine;

/// <summary>File bytes as stored in an action row: base64, or "-" for "the file did not exist".</summary>
internal static class FileSnapshot
{
    private const string Absent = "-";

    public static string Encode(byte[]? bytes) => bytes is null ? Absent : Convert.ToBase64String(bytes);

    public static byte[]? Decode(string text) => text == Absent ? null : Convert.FromBase64String(text);
}
