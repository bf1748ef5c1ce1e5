using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Active;

/// <summary>
/// Spec-correct HTTP probes for MCP endpoints on allow-listed addresses. Per path, at most five requests, each on its
/// own connection: a Streamable HTTP <c>initialize</c> POST (with the Accept pair the transport requires) and, when
/// accepted, the initialized notification; a 2026-07-28 <c>server/discover</c> POST (no session, version and client
/// info in <c>_meta</c>, Mcp-Method header), because a server speaking only that revision refuses initialize; one
/// tools/list in the shape of whichever of the two the server accepted; and a legacy-SSE GET. Over plain TCP, or
/// inside TLS with <see cref="ProbeOptions.Tls"/>. The HTTP bytes exchanged are fed to the same HTTP analyzer the
/// passive path uses, so a probe yields the same observations as watching that exchange on the wire, and the
/// Classifier decides with the same rules. The prober itself decides nothing.
/// </summary>
public sealed partial class McpProber(AddressAllowList allowList, ProbeOptions options)
{
    /// <summary>The revision that replaced initialize with server/discover and per-request metadata.</summary>
    public const string DiscoverProtocolVersion = "2026-07-28";

    private const string ClientName = "shadowmcp-probe";
    private const string ClientVersion = "1.0";

    /// <summary>The JSON-RPC methods the probe sends: the same methods coming back from a server are an echo, not evidence.</summary>
    private static readonly HashSet<string> OwnMethods = ["initialize", "notifications/initialized", "server/discover", "tools/list"];

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
                if (post) await PostSequenceAsync(target, path, factory, ct);
                else await ExchangeAsync(target, Get(target, path), factory, ct);
            }
            finally { gate.Release(); }
        }
    }

    /// <summary>
    /// The POSTs a client makes, in order: initialize (then, when the server accepted, notifications/initialized with
    /// the session id and negotiated version it gave); server/discover as a 2026-07-28 client sends it; one tools/list,
    /// 2026-07-28 style when discover was accepted, else on the initialize session. At most four requests; none after
    /// the first when the port did not connect (or, with TLS, the handshake failed) or answered nothing at all.
    /// </summary>
    private async Task PostSequenceAsync(ProbeTarget target, string path, DefaultAnalyzerFactory factory, CancellationToken ct)
    {
        var initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + options.ProtocolVersion
            + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"" + ClientName + "\",\"version\":\"" + ClientVersion + "\"}}}";
        var response = await ExchangeAsync(target, Post(target, path, initialize, null, options.ProtocolVersion, null), factory, ct);
        // Not connected, or connected but silent until the timeout: a port that says nothing to initialize will not
        // say more to discover, and waiting on it twice per path slows a sweep of a range.
        if (string.IsNullOrEmpty(response)) return;
        string? session = null;
        string? version = null;
        if (StatusLine().IsMatch(response))
        {
            session = SessionHeader().Match(response) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
            version = VersionField().Match(response) is { Success: true } v ? v.Groups[1].Value : options.ProtocolVersion;
            await ExchangeAsync(target, Post(target, path, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session, version, null), factory, ct);
        }

        // 2026-07-28: no handshake, no session; the version and client info travel in every request's _meta and the
        // MCP-Protocol-Version header must match it; Mcp-Method mirrors the method (the SDK client's exact shape).
        var discover = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"server/discover\",\"params\":{" + Meta() + "}}";
        var discovered = await ExchangeAsync(target, Post(target, path, discover, null, DiscoverProtocolVersion, "server/discover"), factory, ct);
        if (discovered is not null && StatusLine().IsMatch(discovered))
            await ExchangeAsync(target, Post(target, path, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{" + Meta() + "}}",
                null, DiscoverProtocolVersion, "tools/list"), factory, ct);
        else if (version is not null)
            await ExchangeAsync(target, Post(target, path, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{}}", session, version, null), factory, ct);

        static string Meta() => "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + DiscoverProtocolVersion
            + "\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"" + ClientName + "\",\"version\":\"" + ClientVersion
            + "\"},\"io.modelcontextprotocol/clientCapabilities\":{}}";
    }

    /// <summary>
    /// One request on its own connection (inside TLS when asked); the response (bounded) is fed to the analyzer and
    /// returned as text. Null when the connection (or the TLS handshake) failed: nothing was exchanged.
    /// </summary>
    private async Task<string?> ExchangeAsync(ProbeTarget target, byte[] request, DefaultAnalyzerFactory factory, CancellationToken ct)
    {
        using var socket = new Socket(target.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(target.Address, target.Port, timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Tls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(TlsOptions(target), timeout.Token);
            }
        }
        catch (Exception ex) when (IsNetworkFailure(ex) && !ct.IsCancellationRequested)
        {
            if (stream is not null) await stream.DisposeAsync();
            return null; // closed, filtered, slow or not TLS: nothing to observe
        }

        await using var _ = stream;
        var local = (IPEndPoint)socket.LocalEndPoint!;
        var endpoints = new FlowEndpoints(local.Address.ToString(), local.Port, target.Address.ToString(), target.Port, "tcp");
        // Only the HTTP inside is analyzed, never our own ClientHello: its SNI is the name we chose, not evidence.
        var analyzer = factory.CreateTcp(endpoints, fromInitiator: true, request);
        if (analyzer is null) return null;
        analyzer.OnData(true, request, DateTime.UtcNow);
        var received = new MemoryStream();
        try
        {
            await stream.WriteAsync(request, timeout.Token);
            await stream.FlushAsync(timeout.Token);
            var buffer = new byte[16 * 1024];
            while (received.Length < options.MaxResponseBytes)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, options.MaxResponseBytes - received.Length)), timeout.Token);
                if (n == 0) break;
                received.Write(buffer, 0, n);
                analyzer.OnData(false, buffer.AsSpan(0, n), DateTime.UtcNow);
            }
        }
        catch (Exception ex) when (IsNetworkFailure(ex) && !ct.IsCancellationRequested)
        {
            // An event stream stays open until the timeout: what arrived so far is what we judge.
        }
        analyzer.OnClose(DateTime.UtcNow);
        return Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
    }

    private static bool IsNetworkFailure(Exception ex) =>
        ex is SocketException or IOException or AuthenticationException or OperationCanceledException;

    /// <summary>
    /// TLS for a discovery probe: SNI is the target's host name when it came from one (an address is never sent as
    /// SNI, RFC 6066), ALPN offers only http/1.1 since the probe speaks HTTP/1.1. The server certificate is NOT
    /// validated unless <see cref="ProbeOptions.ValidateCertificate"/> is set: the probe only talks to allow-listed
    /// hosts of our own to learn whether they speak MCP, sends no credentials, and self-signed or internal-CA
    /// certificates are what such shadow servers typically have.
    /// </summary>
    private SslClientAuthenticationOptions TlsOptions(ProbeTarget target)
    {
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = target.HostName ?? target.Address.ToString(),
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        if (!options.ValidateCertificate) tls.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        return tls;
    }

    private static string HostHeader(ProbeTarget target) =>
        (target.HostName ?? (target.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{target.Address}]" : target.Address.ToString()))
        + ":" + target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Post(ProbeTarget target, string path, string body, string? session, string version, string? mcpMethod)
    {
        var sb = new StringBuilder()
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(HostHeader(target)).Append("\r\n")
            .Append("User-Agent: shadowmcp-probe/1.0\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Accept: application/json, text/event-stream\r\n")
            .Append("MCP-Protocol-Version: ").Append(version).Append("\r\n");
        if (mcpMethod is not null) sb.Append("Mcp-Method: ").Append(mcpMethod).Append("\r\n");
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
    /// evidence would make every open port look like an MCP server. For the same reason a server that echoes the
    /// body back (its JSON-RPC requests with the probe's own methods) is not passed on: no MCP server sends
    /// initialize, server/discover or tools/list to its client. Server-side observations still carry the request's
    /// method and path as context. Probes run concurrently; the sink expects one caller at a time.
    /// </summary>
    private sealed class ServerSideSink(IObservationSink inner) : IObservationSink
    {
        private readonly Lock _lock = new();

        public void Emit(Observation observation)
        {
            if (observation.Kind == ObservationKinds.HttpRequest || observation.Fields.Get("carrier") == ObservationKinds.HttpRequest) return;
            if (observation.Kind is ObservationKinds.JsonRpcRequest or ObservationKinds.JsonRpcNotification
                && observation.Fields.Get("method") is { } method && OwnMethods.Contains(method)) return;
            lock (_lock) inner.Emit(observation);
        }
    }
}
