using ShadowMcp.Cli.Output;
using ShadowMcp.Scanner.Decryption;

namespace ShadowMcp.Cli.Scanning;

/// <summary>Key-log lines that were not understood, as report errors naming the file and line.</summary>
internal static class KeyLogErrors
{
    public static IEnumerable<FileError> Of(TlsKeyLog keyLog)
    {
        var errors = keyLog.Errors;
        foreach (var e in errors) yield return new FileError(e.File, null, e.Line > 0 ? $"line {e.Line}: {e.Reason}" : e.Reason);
        long more = keyLog.MalformedLines - errors.Count;
        if (more > 0) yield return new FileError("keylog", null, $"{more} more malformed key-log lines");
    }
}
