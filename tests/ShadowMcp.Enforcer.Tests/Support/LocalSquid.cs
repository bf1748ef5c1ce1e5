using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShadowMcp.Tests;

namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>
/// A real Squid on 127.0.0.1 (foreground, memory only) whose own hosts_file maps the test names to
/// 127.0.0.1, in front of a loopback origin server. Nothing leaves the machine.
/// </summary>
internal sealed class LocalSquid : IAsyncDisposable
{
    private readonly Process _squid;
    private readonly WebApplication _origin;

    public string Dir { get; }
    public string ConfigPath => Path.Combine(Dir, "squid.conf");
    public string IncludePath => Path.Combine(Dir, "shadowmcp-squid.conf");
    public int OriginPort { get; }
    public int ProxyPort { get; }

    private LocalSquid(string dir, WebApplication origin, int originPort, int proxyPort, Process squid)
    {
        Dir = dir;
        _origin = origin;
        OriginPort = originPort;
        ProxyPort = proxyPort;
        _squid = squid;
    }

    public static async Task<LocalSquid> StartAsync(string dir)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var origin = builder.Build();
        origin.MapFallback(() => "origin-ok");
        await origin.StartAsync();
        var originPort = new Uri(origin.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        // Squid drops to the proxy user; it must be able to read the config and write its log here.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        var proxyPort = FreeTcpPort();
        File.WriteAllText(Path.Combine(dir, "hosts"), "127.0.0.1 rogue.test api.corp.test portal.test\n");
        File.WriteAllText(Path.Combine(dir, "shadowmcp-squid.conf"), "# empty\n");
        File.WriteAllText(Path.Combine(dir, "squid.conf"), $"""
            http_port 127.0.0.1:{proxyPort}
            pid_filename {dir}/squid.pid
            cache_log {dir}/cache.log
            access_log none
            cache deny all
            coredump_dir {dir}
            hosts_file {dir}/hosts
            dns_nameservers 127.0.0.1
            shutdown_lifetime 0 seconds
            cachemgr_passwd none config
            logformat shadowmcp_mgr %ts
            include {dir}/shadowmcp-squid.conf
            acl localsrc src 127.0.0.1
            http_access allow localsrc
            http_access deny all
            """);
        ExternalTools.RequireIntegrationLane("dotnet");
        var psi = new ProcessStartInfo("squid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-N", "-f", Path.Combine(dir, "squid.conf") }) psi.ArgumentList.Add(a);
        var squid = Process.Start(psi)!;
        var self = new LocalSquid(dir, origin, originPort, proxyPort, squid);
        var sw = Stopwatch.StartNew();
        while (await self.StatusAsync("portal.test", "/") != 200)
        {
            if (squid.HasExited || sw.Elapsed > TimeSpan.FromSeconds(20))
            {
                await self.DisposeAsync();
                throw new InvalidOperationException("squid did not start: " + File.ReadAllText(Path.Combine(dir, "cache.log")));
            }
            await Task.Delay(200);
        }
        return self;
    }

    /// <summary>The cache manager base URL; `logformat` above keeps Squid 5.7 from crashing on mgr:config
    /// (Squid bug 5344).</summary>
    public string ManagerUrl => $"http://127.0.0.1:{ProxyPort}/squid-internal-mgr/";

    /// <summary>Stops squid, so the proxy and its cache manager are unreachable.</summary>
    public async Task StopAsync()
    {
        if (_squid.HasExited) return;
        _squid.Kill(entireProcessTree: true);
        await _squid.WaitForExitAsync();
    }

    public IReadOnlyList<string> ReconfigureCommand => ["squid", "-k", "reconfigure", "-f", ConfigPath];

    /// <summary>HTTP status of a GET through the proxy to http://HOST:originPort/PATH, or 0 when the proxy is unreachable.</summary>
    public async Task<int> StatusAsync(string host, string path)
    {
        using var handler = new HttpClientHandler { Proxy = new WebProxy($"http://127.0.0.1:{ProxyPort}"), UseProxy = true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var r = await http.GetAsync($"http://{host}:{OriginPort}{path}");
            return (int)r.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Status of a CONNECT through the proxy to HOST:originPort (a TLS client's first request), 0 when unreachable.</summary>
    public async Task<int> ConnectStatusAsync(string host)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, ProxyPort);
            var stream = tcp.GetStream();
            var request = System.Text.Encoding.ASCII.GetBytes($"CONNECT {host}:{OriginPort} HTTP/1.1\r\nHost: {host}:{OriginPort}\r\n\r\n");
            await stream.WriteAsync(request);
            var buffer = new byte[64];
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var n = await stream.ReadAtLeastAsync(buffer, 12, throwOnEndOfStream: false, limit.Token);
            var line = System.Text.Encoding.ASCII.GetString(buffer, 0, n);
            return n >= 12 && int.TryParse(line.AsSpan(9, 3), out var status) ? status : 0;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Reconfigure is asynchronous inside squid: poll until the expected status shows.</summary>
    public async Task<int> WaitForStatusAsync(string host, string path, int expected)
    {
        var sw = Stopwatch.StartNew();
        int status;
        while ((status = await StatusAsync(host, path)) != expected && sw.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(200);
        return status;
    }

    private static int FreeTcpPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_squid.HasExited)
        {
            _squid.Kill(entireProcessTree: true);
            await _squid.WaitForExitAsync();
        }
        _squid.Dispose();
        await _origin.StopAsync();
        await _origin.DisposeAsync();
    }
}
