using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// A real rsyslogd (Debian's `rsyslog`, and `rsyslog-gnutls` or `rsyslog-openssl` for TLS) on 127.0.0.1 with a temp
/// config: imtcp on a free port, plain or with the gtls or ossl stream driver and the given certificate, writing every message it parses as
/// one line `PRI|APP-NAME|PROCID|MSGID|HOSTNAME|MSG` to a file the test reads. Waits poll with a deadline.
/// </summary>
internal sealed class LocalRsyslog : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private LocalRsyslog(Process process, string dir, int port)
    {
        _process = process;
        Dir = dir;
        Port = port;
    }

    /// <summary>rsyslog's stream driver (gtls: GnuTLS, ossl: OpenSSL), in the multiarch library folder of this machine.</summary>
    private static string DriverPath(string driver) =>
        (Directory.Exists("/usr/lib") ? Directory.EnumerateDirectories("/usr/lib") : [])
            .Select(d => Path.Combine(d, "rsyslog", $"lmnsd_{driver}.so")).FirstOrDefault(File.Exists)
        ?? $"/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_{driver}.so";

    public string Dir { get; }
    public int Port { get; }
    public string OutFile => Path.Combine(Dir, "messages.log");

    /// <param name="tls">PEM files of the CA, the server certificate and its key; null for plain TCP.</param>
    /// <param name="driver">The TLS stream driver: gtls (rsyslog-gnutls) or ossl (rsyslog-openssl).</param>
    /// <param name="maxMessageSize">rsyslog's maxMessageSize; null leaves rsyslog's default (8 kB), as most receivers run.</param>
    public static async Task<LocalRsyslog> StartAsync((string Ca, string Cert, string Key)? tls = null, int? port = null, string driver = "gtls",
        string? maxMessageSize = "256k")
    {
        ExternalTools.Require("apt-get install rsyslog", "rsyslogd");
        var package = driver == "ossl" ? "rsyslog-openssl" : "rsyslog-gnutls";
        if (tls is not null) ExternalTools.RequirePath(DriverPath(driver), $"rsyslog's {driver} driver", $"apt-get install {package}");
        var dir = Directory.CreateTempSubdirectory("shadowmcp-rsyslog-").FullName;
        var listen = port ?? FreePort();
        var config = new StringBuilder();
        // OCSF events are JSON objects of a few kB; rsyslog's default limit (8 kB) would cut a large finding.
        config.AppendLine($"global(workDirectory=\"{dir}\"" + (maxMessageSize is null ? "" : $" maxMessageSize=\"{maxMessageSize}\""));
        if (tls is { } t)
            config.AppendLine($"  defaultNetstreamDriver=\"{driver}\" defaultNetstreamDriverCAFile=\"{t.Ca}\" defaultNetstreamDriverCertFile=\"{t.Cert}\" defaultNetstreamDriverKeyFile=\"{t.Key}\"");
        config.AppendLine(")");
        config.AppendLine(tls is null
            ? "module(load=\"imtcp\")"
            : $"module(load=\"imtcp\" streamDriver.name=\"{driver}\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")");
        config.AppendLine($"input(type=\"imtcp\" address=\"127.0.0.1\" port=\"{listen}\")");
        config.AppendLine("template(name=\"fields\" type=\"string\" string=\"%pri%|%app-name%|%procid%|%msgid%|%hostname%|%msg%\\n\")");
        config.AppendLine($"*.* action(type=\"omfile\" file=\"{Path.Combine(dir, "messages.log")}\" template=\"fields\")");
        var conf = Path.Combine(dir, "rsyslog.conf");
        File.WriteAllText(conf, config.ToString());
        var psi = new ProcessStartInfo("rsyslogd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-n", "-f", conf, "-i", Path.Combine(dir, "rsyslogd.pid") },
        };
        var process = Process.Start(psi)!;
        var rsyslog = new LocalRsyslog(process, dir, listen);
        process.ErrorDataReceived += (_, e) => { lock (rsyslog._log) rsyslog._log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (rsyslog._log) rsyslog._log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await rsyslog.WaitListeningAsync();
        return rsyslog;
    }

    private async Task WaitListeningAsync()
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (_process.HasExited) Assert.Fail($"rsyslogd exited with {_process.ExitCode}: {Log}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Until the output file holds at least <paramref name="count"/> lines; fails with rsyslog's log after the deadline.</summary>
    public async Task<string[]> WaitForLinesAsync(int count)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var lines = File.Exists(OutFile) ? await File.ReadAllLinesAsync(OutFile) : [];
            if (lines.Length >= count) return lines;
            if (DateTime.UtcNow > until) Assert.Fail($"rsyslog wrote {lines.Length} of {count} lines: {Log}");
            await Task.Delay(100);
        }
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
