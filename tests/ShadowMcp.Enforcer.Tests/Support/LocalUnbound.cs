using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using ShadowMcp.Tests;

namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>
/// A real unbound on 127.0.0.1 and a free high port, with its config, control socket and include file in a
/// temp directory. The corp.test names come from an auth-zone, and a local root zone answers everything else, so no query ever leaves the machine.
/// </summary>
internal sealed class LocalUnbound : IDisposable
{
    private Process _process = null!;

    public string Dir { get; }
    public int Port { get; private set; }
    public string ConfigPath => Path.Combine(Dir, "unbound.conf");
    public string IncludePath => Path.Combine(Dir, "shadowmcp.conf");
    public IReadOnlyList<string> ReloadCommand => ["unbound-control", "-c", ConfigPath, "reload"];

    public LocalUnbound(string dir)
    {
        Dir = dir;
        File.WriteAllText(IncludePath, "server:\n");
        // The "real" answers come from an authoritative zone, as an upstream would give them; the
        // Enforcer's local zones must override them.
        File.WriteAllText(Path.Combine(Dir, "root.zone"), """
            $ORIGIN .
            $TTL 60
            . IN SOA ns.corp.test. hostmaster.corp.test. 1 3600 600 86400 60
            . IN NS ns.corp.test.
            """);
        File.WriteAllText(Path.Combine(Dir, "corp.test.zone"), """
            $ORIGIN corp.test.
            $TTL 60
            @ IN SOA ns.corp.test. hostmaster.corp.test. 1 3600 600 86400 60
            @ IN NS ns.corp.test.
            ns IN A 192.0.2.1
            mcp IN A 192.0.2.44
            *.mcp IN A 192.0.2.44
            upstream IN A 192.0.2.44
            www IN A 192.0.2.44
            portal IN A 192.0.2.10
            """);
        ExternalTools.RequireIntegrationLane("unbound");
        // A port free for UDP can be taken for TCP (unbound binds both) by a parallel test between our check and
        // unbound's bind: unbound then exits at once, and another port is tried.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            WriteConfig();
            var failure = TryStart();
            if (failure is null) return;
            if (attempt == 5) throw new InvalidOperationException("unbound did not start: " + failure);
        }
    }

    private void WriteConfig() =>
        File.WriteAllText(ConfigPath, $"""
            server:
              interface: 127.0.0.1
              port: {Port}
              do-daemonize: no
              username: ""
              chroot: ""
              directory: "{Dir}"
              pidfile: "{Dir}/unbound.pid"
              use-syslog: no
              logfile: "{Dir}/unbound.log"
              access-control: 127.0.0.0/8 allow
              do-not-query-localhost: no
              module-config: "iterator"
              local-zone: "test." nodefault
              include: "{IncludePath}"
            auth-zone:
              name: "corp.test."
              zonefile: "{Dir}/corp.test.zone"
              for-upstream: yes
              for-downstream: no
            auth-zone:
              name: "."
              zonefile: "{Dir}/root.zone"
              for-upstream: yes
              for-downstream: no
            remote-control:
              control-enable: yes
              control-interface: "{Dir}/control.sock"
              control-use-cert: no
            """);

    /// <summary>Starts unbound; null once it answers, else what it said (it exited, or did not answer in 15 s).</summary>
    private string? TryStart()
    {
        File.Delete(Path.Combine(Dir, "control.sock")); // a failed attempt's
        var psi = new ProcessStartInfo("unbound") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-d", "-c", ConfigPath }) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        var stderr = _process.StandardError.ReadToEndAsync();
        var sw = Stopwatch.StartNew();
        while (Sh.Run("unbound-control", "-c", ConfigPath, "status").Code != 0)
        {
            if (_process.HasExited || sw.Elapsed > TimeSpan.FromSeconds(15))
            {
                var log = File.Exists(Path.Combine(Dir, "unbound.log")) ? File.ReadAllText(Path.Combine(Dir, "unbound.log")) : "";
                Stop();
                _process.Dispose();
                return $"port {Port}: {log} {(stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : "")}".Trim();
            }
            Thread.Sleep(100);
        }
        return null;
    }

    public LookupClient Client() => new(new LookupClientOptions(new NameServer(IPAddress.Loopback, Port))
    {
        UseCache = false, Retries = 0, Timeout = TimeSpan.FromSeconds(2), ThrowDnsErrors = false, UseTcpFallback = false,
    });

    /// <summary>The A records for <paramref name="name"/>, or "NXDOMAIN".</summary>
    public string Resolve(string name)
    {
        var r = Client().Query(name, QueryType.A);
        if (r.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain) return "NXDOMAIN";
        return string.Join(",", r.Answers.ARecords().Select(a => a.Address.ToString()).Order(StringComparer.Ordinal));
    }

    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    /// <summary>A port free on 127.0.0.1 for both UDP and TCP at the moment of asking.</summary>
    private static int FreePort()
    {
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for TCP: ask again
            }
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
