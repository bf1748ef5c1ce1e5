using ShadowMcp.Tests;
using System.Diagnostics;
using ShadowMcp.Scanner.Decryption;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>The project's own TLS captures and key logs (tests/corpus/tls, made by its generate.sh), and tshark.</summary>
internal static class TlsCorpus
{
    public static string Root { get; } = FindRoot();

    public static string Pcap(string name) => Path.Combine(Root, "pcaps", name + ".pcap");

    public static string Keys(string name) => Path.Combine(Root, "keys", name + ".keys");

    public static IEnumerable<string> Names() =>
        Directory.GetFiles(Path.Combine(Root, "pcaps"), "*.pcap").Select(f => Path.GetFileNameWithoutExtension(f)!).Order();

    public static TlsKeyLog KeyLog(string name)
    {
        var log = new TlsKeyLog();
        log.AddFile(Keys(name));
        return log;
    }

    /// <summary>Runs tshark and returns its standard output; a hang guard of a minute.</summary>
    public static string Tshark(params string[] args)
    {
        ExternalTools.Require("apt-get install tshark", "tshark");
        var start = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(); throw new TimeoutException("tshark did not finish"); }
        return output.GetAwaiter().GetResult();
    }

    /// <summary>
    /// tshark's decrypted application data per TCP stream (<c>-z follow,tls,raw</c>), keyed by the client port:
    /// (client to server bytes, server to client bytes).
    /// </summary>
    public static Dictionary<int, (byte[] Client, byte[] Server)> TsharkDecrypted(string name)
    {
        // One run: the connections (stream, client port, server port) as fields, then every stream followed.
        // The streams are numbered in order from 0; a capture holds fewer than 20 connections.
        var args = new List<string>
        {
            "-r", Pcap(name), "-o", "tls.keylog_file:" + Keys(name), "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0",
            "-T", "fields", "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.dstport",
        };
        for (int stream = 0; stream < 20; stream++) args.AddRange(["-z", $"follow,tls,raw,{stream}"]);
        var output = Tshark([.. args]);
        var connections = output.Split('\n').Select(l => l.Split('\t')).Where(f => f.Length == 3 && f.All(x => x.All(char.IsAsciiDigit)))
            .Select(f => f.Select(int.Parse).ToArray()).ToDictionary(f => f[0], f => (Client: f[1], Server: f[2]));
        var result = new Dictionary<int, (byte[], byte[])>();
        int current = -1, node0Port = -1;
        MemoryStream node0 = new(), node1 = new();
        void Flush()
        {
            if (current < 0 || node0.Length + node1.Length == 0) return;
            if (!connections.TryGetValue(current, out var connection)) return;
            var (client, server) = connection;
            // Node 0 is whichever side sent decrypted data first.
            result[client] = node0Port == server ? (node1.ToArray(), node0.ToArray()) : (node0.ToArray(), node1.ToArray());
        }
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("Filter: tcp.stream eq ", StringComparison.Ordinal))
            {
                Flush();
                current = int.Parse(line["Filter: tcp.stream eq ".Length..].Trim());
                node0Port = -1;
                node0 = new MemoryStream();
                node1 = new MemoryStream();
                continue;
            }
            if (line.StartsWith("Node 0: ", StringComparison.Ordinal))
            {
                var address = line[8..].Trim();
                node0Port = address.Length > 2 ? int.Parse(address[(address.LastIndexOf(':') + 1)..]) : -1;
                continue;
            }
            var hex = line.Trim();
            if (current < 0 || hex.Length == 0 || hex.Length % 2 != 0 || !hex.All(Uri.IsHexDigit)) continue;
            (line.StartsWith('\t') ? node1 : node0).Write(Convert.FromHexString(hex));
        }
        Flush();
        return result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ShadowMcp.sln"))) return Path.Combine(dir.FullName, "tests", "corpus", "tls");
        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
