using System.CommandLine;
using ShadowMcp.Scanner.Decryption;

namespace ShadowMcp.Cli.Commands;

/// <summary><c>--keylog FILE</c> (repeatable) on scan and sensor: TLS secrets in the NSS key-log format.</summary>
internal static class KeyLogOptions
{
    public static Option<string[]> Create() => new("--keylog")
    {
        Description = "TLS key log (SSLKEYLOGFILE format) to decrypt TLS with; repeatable. The sensor re-reads a growing file.",
    };

    /// <summary>The key log of the given files, or null when none; unreadable files and bad lines become its errors.</summary>
    public static TlsKeyLog? Load(string[]? files)
    {
        if (files is not { Length: > 0 }) return null;
        var log = new TlsKeyLog();
        foreach (var file in files) log.AddFile(file);
        return log;
    }
}
