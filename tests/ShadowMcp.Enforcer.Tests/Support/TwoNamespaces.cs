using System.Diagnostics;
using ShadowMcp.Tests;

namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>
/// A server and a client network namespace joined by a veth pair, with addresses in private /30s that exist
/// only inside these namespaces (nothing is routed to the real network). The server namespace runs a tiny
/// MCP-shaped HTTP server on port 8080 of both its addresses: <see cref="ShadowAddress"/> plays the shadow
/// server, <see cref="PortalAddress"/> the portal.
/// </summary>
internal sealed class TwoNamespaces : IDisposable
{
    private const string ServerScript = """
        import http.server, json, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                req = json.loads(body or b'{}')
                res = {"jsonrpc": "2.0", "id": req.get("id"), "result": {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}, "serverInfo": {"name": "ns-shadow", "version": "1"}}}
                out = json.dumps(res).encode()
                self.send_response(200); self.send_header('Content-Type', 'application/json'); self.send_header('Content-Length', str(len(out))); self.end_headers(); self.wfile.write(out)
            def log_message(self, *a): pass
        http.server.ThreadingHTTPServer(('0.0.0.0', 8080), H).serve_forever()
        """;

    private readonly Process _server;

    public string Server { get; }
    public string Client { get; }
    public string ShadowAddress { get; }
    public string PortalAddress { get; }

    public TwoNamespaces()
    {
        var id = Random.Shared.Next(0x1000, 0xFFFF).ToString("x4");
        Server = $"smcp-{id}-s";
        Client = $"smcp-{id}-c";
        var octet = Random.Shared.Next(1, 250);
        ShadowAddress = $"10.213.{octet}.1";
        PortalAddress = $"10.213.{octet}.5";
        try
        {
            Sh.Check("ip", "netns", "add", Server);
            Sh.Check("ip", "netns", "add", Client);
            Sh.Check("ip", "link", "add", $"v{id}s", "netns", Server, "type", "veth", "peer", "name", $"v{id}c", "netns", Client);
            Sh.Check("ip", "-n", Server, "addr", "add", $"{ShadowAddress}/30", "dev", $"v{id}s");
            Sh.Check("ip", "-n", Server, "addr", "add", $"{PortalAddress}/30", "dev", $"v{id}s");
            Sh.Check("ip", "-n", Client, "addr", "add", $"10.213.{octet}.2/30", "dev", $"v{id}c");
            Sh.Check("ip", "-n", Client, "addr", "add", $"10.213.{octet}.6/30", "dev", $"v{id}c");
            foreach (var (ns, dev) in new[] { (Server, $"v{id}s"), (Client, $"v{id}c") })
            {
                Sh.Check("ip", "-n", ns, "link", "set", "lo", "up");
                Sh.Check("ip", "-n", ns, "link", "set", dev, "up");
            }
            ExternalTools.RequireIntegrationLane("ip");
            var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "netns", "exec", Server, "python3", "-c", ServerScript }) psi.ArgumentList.Add(a);
            _server = Process.Start(psi)!;
            WaitUntil(() => CanReach(ShadowAddress), TimeSpan.FromSeconds(15));
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    /// <summary>Sends an MCP initialize from the client namespace; true when the server's answer came back.</summary>
    public bool CanReach(string address)
    {
        var (code, output) = Sh.Run("ip", "netns", "exec", Client, "curl", "-s", "-m", "2", "-X", "POST",
            "-H", "Content-Type: application/json",
            "-d", """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
            $"http://{address}:8080/mcp");
        return code == 0 && output.Contains("ns-shadow", StringComparison.Ordinal);
    }

    /// <summary>curl's exit code for a plain TCP connect from the client namespace (7 = refused/reset, 28 = timeout).</summary>
    public int ConnectExitCode(string address) =>
        Sh.Run("ip", "netns", "exec", Client, "curl", "-s", "-m", "2", "-o", "/dev/null", $"http://{address}:8080/").Code;

    private static void WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > limit) throw new TimeoutException("the namespace MCP server did not come up");
            Thread.Sleep(200);
        }
    }

    private void Cleanup()
    {
        if (_server is { HasExited: false }) _server.Kill(entireProcessTree: true);
        _server?.Dispose();
        Sh.Run("ip", "netns", "del", Server);
        Sh.Run("ip", "netns", "del", Client);
    }

    public void Dispose() => Cleanup();
}
