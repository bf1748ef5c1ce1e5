using System.Diagnostics;
using ShadowMcp.Tests;

namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>
/// One server address shared by several services, as on a real host: a shadow MCP server on 3000, a sanctioned
/// upstream of the portal on 8443 and a plain web server on 8080, in a server namespace joined by a veth pair
/// to a client namespace (private /30, exists only inside them). Each service answers with its own name.
/// </summary>
internal sealed class SharedServer : IDisposable
{
    public const int ShadowPort = 3000;
    public const int SanctionedPort = 8443;
    public const int WebPort = 8080;

    private const string ServerScript = """
        import http.server, socketserver, sys, threading
        def serve(port, name):
            class H(http.server.BaseHTTPRequestHandler):
                def reply(self):
                    out = name.encode()
                    self.send_response(200); self.send_header('Content-Length', str(len(out))); self.end_headers(); self.wfile.write(out)
                do_GET = reply
                def do_POST(self):
                    self.rfile.read(int(self.headers.get('Content-Length', 0))); self.reply()
                def log_message(self, *a): pass
            http.server.ThreadingHTTPServer(('0.0.0.0', port), H).serve_forever()
        for port, name in ((3000, 'shadow'), (8443, 'sanctioned'), (8080, 'web')):
            threading.Thread(target=serve, args=(port, name), daemon=True).start()
        threading.Event().wait()
        """;

    private readonly Process? _server;

    public string Server { get; }
    public string Client { get; }
    public string Address { get; }

    public SharedServer()
    {
        var id = Random.Shared.Next(0x1000, 0xFFFF).ToString("x4");
        Server = $"smcp-{id}-s";
        Client = $"smcp-{id}-c";
        var octet = Random.Shared.Next(1, 250);
        Address = $"10.214.{octet}.1";
        try
        {
            Sh.Check("ip", "netns", "add", Server);
            Sh.Check("ip", "netns", "add", Client);
            Sh.Check("ip", "link", "add", $"w{id}s", "netns", Server, "type", "veth", "peer", "name", $"w{id}c", "netns", Client);
            Sh.Check("ip", "-n", Server, "addr", "add", $"{Address}/30", "dev", $"w{id}s");
            Sh.Check("ip", "-n", Client, "addr", "add", $"10.214.{octet}.2/30", "dev", $"w{id}c");
            foreach (var (ns, dev) in new[] { (Server, $"w{id}s"), (Client, $"w{id}c") })
            {
                Sh.Check("ip", "-n", ns, "link", "set", "lo", "up");
                Sh.Check("ip", "-n", ns, "link", "set", dev, "up");
            }
            ExternalTools.RequireIntegrationLane("ip");
            var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "netns", "exec", Server, "python3", "-c", ServerScript }) psi.ArgumentList.Add(a);
            _server = Process.Start(psi)!;
            var sw = Stopwatch.StartNew();
            while (!(Reaches(ShadowPort) && Reaches(SanctionedPort) && Reaches(WebPort)))
            {
                if (sw.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException("the shared server did not come up");
                Thread.Sleep(100);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The nft command for the server's namespace (the gateway role: the rules sit in front of the services).</summary>
    public string NftCommand => $"[ip, netns, exec, {Server}, nft]";

    /// <summary>True when the service on <paramref name="port"/> answered a request from the client namespace.</summary>
    public bool Reaches(int port)
    {
        var (code, output) = Sh.Run("ip", "netns", "exec", Client, "curl", "-s", "-m", "2", $"http://{Address}:{port}/");
        return code == 0 && output.Length > 0;
    }

    public void Dispose()
    {
        if (_server is { HasExited: false }) _server.Kill(entireProcessTree: true);
        _server?.Dispose();
        Sh.Run("ip", "netns", "del", Server);
        Sh.Run("ip", "netns", "del", Client);
    }
}
