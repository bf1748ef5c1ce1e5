using System.Net;
using System.Net.Sockets;
using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Active;

/// <summary>
/// Spec-correct HTTP probes for MCP endpoints on allow-listed addresses: a Streamable HTTP <c>initialize</c> POST
/// (with the Accept pair the transport requires) and a legacy-SSE GET per path. The bytes exchanged are fed to the
/// same HTTP analyzer the passive path uses, so a probe yields the same observations as watching that exchange on the
/// wire, and the Classifier decides with the same rules. The prober itself decides nothing.
/// </summary>
public sealed partial class McpProber(AddressAllowList allowList, ProbeOptions options)
{
    /// <summary>Probes every target; all targets are checked against the allow list before anything is sent.</summary>
    public async Task ProbeAsync(IReadOnlyList<ProbeTarget> targets, IObservationSink sink, CancellationToken ct)
    {
        foreach (var t in targets)
            if (!allowList.Allows(t.Address))
                throw new ProbeRefusedException($"{t.Address}: not in the probe allow list ({string.Join(", ", allowList.Ranges)}); nothing was sent");

        var factory = new DefaultAnalyzerFactory(new ServerSideSink(sink), "probe");
        using var gate = new SemaphoreSlim(options.MaxConcurrency);
        var work = new List<Task>();
        foreach (var target in targets)
            foreach (var path in options.Paths)
            {
                work.Add(Run(target, path, post: true));
                work.Add(Run(target, path, post: false));
            }
        await Task.WhenAll(work);

        async Task Run(ProbeTarget target, string path, bool post)
        {
            await gate.WaitAsync(ct);
            try
            {
                if (post) await HandshakeAsync(target, path, factory, ct);
                else await ExchangeAsync(target, Get(target, path), factory, ct);
            }
            finally { gate.Release(); }
        }
    }

    /// <summary>
    /// The Streamable HTTP handshake as a client does it: initialize, then (when the server accepted) the
    /// initialized notification and a tools/list with the session id and negotiated version it gave.
    /// </summary>
    private async Task HandshakeAsync(ProbeTarget target, string path, DefaultAnalyzerFactory factory, CancellationToken ct)
    {
        var initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + options.ProtocolVersion
            + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"shadowmcp-probe\",\"version\":\"1.0\"}}}";
        var response = await ExchangeAsync(target, Post(target, path, initialize, null, options.ProtocolVersion), factory, ct);
        if (response is null || !StatusLine().IsMatch(response)) return;
        var session = SessionHeader().Match(response) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
        var version = VersionField().Match(response) is { Success: true } v ? v.Groups[1].Value : options.ProtocolVersion;
        await ExchangeAsync(target, Post(target, path, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session, version), factory, ct);
        await ExchangeAsync(target, Post(target, path, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}", session, version), factory, ct);
    }

    /// <summary>One request on its own connection; the response (bounded) is fed to the analyzer and returned as text.</summary>
    private async Task<string?> ExchangeAsync(ProbeTarget target, byte[] request, DefaultAnalyzerFactory factory, CancellationToken ct)
    {
        using var socket = new Socket(target.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await socket.ConnectAsync(target.Address, target.Port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null; // closed, filtered or slow: nothing to observe
        }

        var local = (IPEndPoint)socket.LocalEndPoint!;
        var endpoints = new FlowEndpoints(local.Address.ToString(), local.Port, target.Address.ToString(), target.Port, "tcp");
        var analyzer = factory.CreateTcp(endpoints, fromInitiator: true, request);
        if (analyzer is null) return null;
        analyzer.OnData(true, request, DateTime.UtcNow);
        var received = new MemoryStream();
        try
        {
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
            var buffer = new byte[16 * 1024];
            while (received.Length < options.MaxResponseBytes)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, options.MaxResponseBytes - received.Length)), SocketFlags.None, timeout.Token);
                if (n == 0) break;
                received.Write(buffer, 0, n);
                analyzer.OnData(false, buffer.AsSpan(0, n), DateTime.UtcNow);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            // An event stream stays open until the timeout: what arrived so far is what we judge.
        }
        analyzer.OnClose(DateTime.UtcNow);
        return Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
    }

    private static string HostHeader(ProbeTarget target) =>
        (target.HostName ?? (target.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{target.Address}]" : target.Address.ToString()))
        + ":" + target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Post(ProbeTarget target, string path, string body, string? session, string version)
    {
        var sb = new StringBuilder()
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(HostHeader(target)).Append("\r\n")
            .Append("User-Agent: shadowmcp-probe/1.0\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Accept: application/json, text/event-stream\r\n")
            .Append("MCP-Protocol-Version: ").Append(version).Append("\r\n");
        if (session is not null) sb.Append("Mcp-Session-Id: ").Append(session).Append("\r\n");
        sb.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n")
          .Append("Connection: close\r\n\r\n")
          .Append(body);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] Get(ProbeTarget target, string path) => Encoding.UTF8.GetBytes(
        $"GET {path} HTTP/1.1\r\nHost: {HostHeader(target)}\r\nUser-Agent: shadowmcp-probe/1.0\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n");

    [System.Text.RegularExpressions.GeneratedRegex(@"^HTTP/1\.[01] 2\d\d ")]
    private static partial System.Text.RegularExpressions.Regex StatusLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?im)^mcp-session-id:\s*([!-~]{1,200})\r?$")]
    private static partial System.Text.RegularExpressions.Regex SessionHeader();

    [System.Text.RegularExpressions.GeneratedRegex(@"""protocolVersion""\s*:\s*""(\d{4}-\d{2}-\d{2})""")]
    private static partial System.Text.RegularExpressions.Regex VersionField();

    /// <summary>
    /// Passes on only what the server said: the probe's own request is MCP by construction, so counting it as
    /// evidence would make every open port look like an MCP server. Server-side observations still carry the
    /// request's method and path as context. Probes run concurrently; the sink expects one caller at a time.
    /// </summary>
    private sealed class ServerSideSink(IObservationSink inner) : IObservationSink
    {
        private readonly Lock _lock = new();

        public void Emit(Observation observation)
        {
            if (observation.Kind == ObservationKinds.HttpRequest || observation.Fields.Get("carrier") == ObservationKinds.HttpRequest) return;
            lock (_lock) inner.Emit(observation);
        }
    }
}
