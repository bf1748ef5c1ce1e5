using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pinning;

namespace ShadowMcp.Portal.Upstreams;

/// <summary>
/// The portal's client session to one upstream, with its cached tool, prompt and resource lists. Connects
/// lazily, reconnects after a failure, and refreshes its cache on list_changed notifications. A failure here
/// marks only this upstream down.
/// </summary>
internal sealed partial class UpstreamConnection : IAsyncDisposable
{
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly HttpClient _http;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly PinKeeper _pins;
    private readonly TimeProvider _time;
    private McpClient? _client;
    // Extra sessions for tools/call, so concurrent calls do not all queue on one client's locks and one HTTP
    // connection. HTTP upstreams only: for stdio each session would be another process.
    private readonly McpClient?[] _extra;
    private int _next;
    private int _privateSessions;
    private IAsyncDisposable? _listChangedRegistration;
    private int _refreshing;

    public UpstreamConnection(UpstreamConfig config, PinKeeper pins, TimeProvider time, ILoggerFactory loggers)
    {
        Config = config;
        _pins = pins;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<UpstreamConnection>();
        _http = new HttpClient(new UpstreamCredentialsHandler(config, time)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var sessions = config.Url is null || config.Transport == "stdio" ? 1 : Math.Clamp(config.Sessions ?? Environment.ProcessorCount, 1, 16);
        _extra = new McpClient?[sessions - 1];
    }

    public UpstreamConfig Config { get; }
    public IReadOnlyList<Tool> Tools { get; private set; } = [];
    public IReadOnlyList<Prompt> Prompts { get; private set; } = [];
    public IReadOnlyList<Resource> Resources { get; private set; } = [];
    public IReadOnlyList<ResourceTemplate> ResourceTemplates { get; private set; } = [];
    public IReadOnlySet<string> Hidden { get; private set; } = new HashSet<string>();
    public bool Healthy { get; private set; }
    public string? LastError { get; private set; } = "not contacted yet";
    public DateTimeOffset? LastRefresh { get; private set; }
    public TimeSpan Timeout => TimeSpan.FromSeconds(Config.TimeoutSeconds);

    /// <summary>Raised after the cached lists were refreshed (or the upstream went down).</summary>
    public event Action<UpstreamConnection>? Changed;

    public string TransportName => Config.Url is null || Config.Transport == "stdio"
        ? "stdio"
        : UpstreamTransportFactory.ModeFor(Config.Transport, new Uri(Config.Url)) switch
        {
            HttpTransportMode.StreamableHttp => "streamable-http",
            HttpTransportMode.Sse => "sse",
            _ => "auto",
        };

    /// <summary>
    /// Lists the upstream again. Refreshes of one upstream run one at a time (start-up, the timer and a
    /// list_changed can overlap on a fresh store), so the last list read is the one kept.
    /// </summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _refreshGate.WaitAsync(ct);
        try { await RefreshOnceAsync(ct); }
        finally { _refreshGate.Release(); }
    }

    private readonly SemaphoreSlim _refreshGate = new(1, 1);

    private async Task RefreshOnceAsync(CancellationToken ct)
    {
        try
        {
            var client = await GetClientAsync(ct);
            using var deadline = new UpstreamDeadline(Timeout, _time, ct);
            var listed = new List<Tool>();
            string? cursor = null;
            do
            {
                var page = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, deadline.Token);
                listed.AddRange(page.Tools);
                cursor = page.NextCursor;
            } while (cursor is not null && listed.Count < 10_000);
            // A name is one tool: a name listed twice is exposed once, by its first definition (pinning fingerprints
            // them all, so a second definition is drift). Two entries under one exposed name broke the whole catalog.
            var tools = listed.DistinctBy(t => t.Name, StringComparer.Ordinal).ToList();

            var prompts = new List<Prompt>();
            if (client.ServerCapabilities.Prompts is not null)
                prompts.AddRange((await client.ListPromptsAsync(new ListPromptsRequestParams(), deadline.Token)).Prompts);
            var resources = new List<Resource>();
            var templates = new List<ResourceTemplate>();
            if (client.ServerCapabilities.Resources is not null)
            {
                resources.AddRange((await client.ListResourcesAsync(new ListResourcesRequestParams(), deadline.Token)).Resources);
                try { templates.AddRange((await client.ListResourceTemplatesAsync(new ListResourceTemplatesRequestParams(), deadline.Token)).ResourceTemplates); }
                catch (McpProtocolException) { /* templates are optional: a server with resources need not implement the list */ }
            }

            // Lets the SDK client send Mcp-Param-* headers for 2026-07-28 upstreams instead of warning on every call.
            foreach (var session in _extra.Prepend(client))
            {
                if (session is null) continue;
                session.ClearKnownTools();
                session.AddKnownTools(tools);
            }
            var pinned = _pins.Check(Config, listed);
            Hidden = pinned.Hidden;
            Tools = pinned.Apply(tools);
            Prompts = prompts.DistinctBy(p => p.Name, StringComparer.Ordinal).ToList();
            Resources = resources;
            ResourceTemplates = templates;
            Healthy = true;
            LastError = null;
            LastRefresh = _time.GetUtcNow();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await MarkDownAsync(e);
        }
        Changed?.Invoke(this);
    }

    public async Task<CallToolResult> CallToolAsync(string tool, IDictionary<string, JsonElement>? arguments, CancellationToken ct)
    {
        var (client, slot) = await CallClientAsync(ct);
        return await SendAsync((c, t) => c.CallToolAsync(new CallToolRequestParams { Name = tool, Arguments = arguments }, t), ct, client, slot);
    }

    /// <summary>Round-robin over the primary session (slot 0) and the extra ones, opening extras on first use.</summary>
    private async Task<(McpClient Client, int Slot)> CallClientAsync(CancellationToken ct)
    {
        var primary = await GetClientAsync(ct);
        if (_extra.Length == 0) return (primary, 0);
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)(_extra.Length + 1));
        if (slot == 0) return (primary, 0);
        if (Volatile.Read(ref _extra[slot - 1]) is { } ready) return (ready, slot);
        await _connectGate.WaitAsync(ct);
        try
        {
            if (_extra[slot - 1] is { } again) return (again, slot);
            var client = await ConnectAsync(ct);
            client.AddKnownTools(Tools);
            Volatile.Write(ref _extra[slot - 1], client);
            return (client, slot);
        }
        finally { _connectGate.Release(); }
    }

    /// <summary>
    /// A call whose mid-call traffic goes back to one caller: progress to <paramref name="progress"/> (matched by
    /// the token the SDK mints for this call), and, when <paramref name="session"/> is a caller's own upstream
    /// session, its sampling, elicitation and log messages too. A failed private session is dropped, not the
    /// shared one.
    /// </summary>
    /// <param name="clocks">The caller session's clocks: they hold this call's deadline while the upstream waits
    /// on that caller (a question to a human).</param>
    public async Task<CallToolResult> CallToolAsync(string tool, IDictionary<string, JsonElement>? arguments,
        IProgress<ProgressNotificationValue>? progress, McpClient? session, CancellationToken ct,
        UpstreamClocks? clocks = null)
    {
        if (progress is null && session is null && clocks is null) return await CallToolAsync(tool, arguments, ct);
        var args = arguments?.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
        var (client, slot) = session is null ? await CallClientAsync(ct) : (session, -1);
        return await SendAsync((c, t) => c.CallToolAsync(tool, args, progress, cancellationToken: t), ct, client, slot, clocks);
    }

    /// <summary>
    /// Private sessions (one per caller session that needs its own) are bounded per upstream, and per user so one
    /// token cannot take every slot (for a stdio upstream, every process).
    /// </summary>
    public bool TryReservePrivateSession(string user)
    {
        lock (_privateByUser)
        {
            var mine = _privateByUser.GetValueOrDefault(user);
            if (_privateSessions >= MaxPrivateSessions || mine >= Config.MaxPrivateSessionsPerUser) return false;
            _privateSessions++;
            _privateByUser[user] = mine + 1;
            return true;
        }
    }

    public void ReleasePrivateSession(string user)
    {
        lock (_privateByUser)
        {
            _privateSessions--;
            if (_privateByUser.GetValueOrDefault(user) is > 1 and var n) _privateByUser[user] = n - 1;
            else _privateByUser.Remove(user);
        }
    }

    private readonly Dictionary<string, int> _privateByUser = new(StringComparer.Ordinal);

    /// <summary>The configured cap, or 64 for an HTTP upstream and 8 for stdio (each is a process).</summary>
    public int MaxPrivateSessions => Config.MaxPrivateSessions ?? (IsStdio ? 8 : 64);

    private bool IsStdio => Config.Url is null || Config.Transport == "stdio";

    public int PrivateSessions { get { lock (_privateByUser) return _privateSessions; } }

    /// <summary>
    /// Opens a separate session to this upstream with the given client handlers (sampling, elicitation,
    /// notifications), for one caller's session. Same transport, credentials and timeout as the shared one.
    /// </summary>
    public async Task<McpClient> OpenPrivateSessionAsync(McpClientHandlers handlers, ClientCapabilities capabilities, string? protocolVersion, CancellationToken ct)
    {
        using var deadline = new UpstreamDeadline(Timeout, _time, ct);
        try
        {
            return await McpClient.CreateAsync(UpstreamTransportFactory.Create(Config, _http, _loggers), new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "shadowmcp-portal", Version = PortalVersion.Value },
                // A version pinned in the config wins; otherwise speak what the caller speaks, so the upstream can
                // use the same mid-call features with us that the caller can answer.
                ProtocolVersion = Config.ProtocolVersion ?? protocolVersion,
                Capabilities = capabilities,
                Handlers = handlers,
            }, _loggers, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new UpstreamUnavailableException(Config.Id, $"no answer within {Config.TimeoutSeconds}s");
        }
        catch (Exception e) when (e is not OperationCanceledException and not UpstreamUnavailableException)
        {
            throw new UpstreamUnavailableException(Config.Id, e.Message, e);
        }
    }

    public async Task<GetPromptResult> GetPromptAsync(string prompt, IDictionary<string, JsonElement>? arguments, CancellationToken ct) =>
        await SendAsync((c, t) => c.GetPromptAsync(new GetPromptRequestParams { Name = prompt, Arguments = arguments }, t), ct);

    public async Task<ReadResourceResult> ReadResourceAsync(string uri, CancellationToken ct) =>
        await SendAsync((c, t) => c.ReadResourceAsync(new ReadResourceRequestParams { Uri = uri }, t), ct);

    public async Task<CompleteResult> CompleteAsync(CompleteRequestParams request, CancellationToken ct) =>
        await SendAsync((c, t) => c.CompleteAsync(request, t), ct);

    /// <param name="client">The session to use; null: the primary one.</param>
    /// <param name="slot">Which shared session it is (0 primary, 1.. pooled), or -1 for a caller's private one,
    /// which its owner replaces: a broken shared session is replaced here, so the next call reconnects.</param>
    private async Task<T> SendAsync<T>(Func<McpClient, CancellationToken, ValueTask<T>> send, CancellationToken ct,
        McpClient? client = null, int slot = 0, UpstreamClocks? clocks = null)
    {
        client ??= await GetClientAsync(ct);
        using var deadline = new UpstreamDeadline(Timeout, _time, ct);
        using var watching = clocks?.Watch(Config.Id, deadline);
        try
        {
            return await send(client, deadline.Token);
        }
        catch (McpProtocolException)
        {
            throw; // The upstream answered with an error: it is up, and the client should see the error.
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new UpstreamUnavailableException(Config.Id, $"no answer within {Config.TimeoutSeconds}s", timedOut: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (slot >= 0) await DropBrokenAsync(client, slot, e);
            throw new UpstreamUnavailableException(Config.Id, e.Message, e);
        }
    }

    /// <summary>
    /// A shared session failed: the primary marks the upstream down (and reconnects on next use); a pooled one is
    /// just closed and reopened on its next turn. A session already replaced by another call is left alone.
    /// </summary>
    private async Task DropBrokenAsync(McpClient client, int slot, Exception e)
    {
        if (slot == 0)
        {
            if (ReferenceEquals(Volatile.Read(ref _client), client)) await MarkDownAsync(e);
        }
        else if (ReferenceEquals(Interlocked.CompareExchange(ref _extra[slot - 1], null, client), client))
        {
            await CloseAsync(client);
        }
    }

    private async Task<McpClient> GetClientAsync(CancellationToken ct)
    {
        if (_client is { } existing) return existing;
        await _connectGate.WaitAsync(ct);
        try
        {
            if (_client is { } again) return again;
            var client = await ConnectAsync(ct);
            _listChangedRegistration = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
            {
                LogListChanged(Config.Id);
                OnListChanged();
                return ValueTask.CompletedTask;
            });
            _client = client;
            return client;
        }
        finally { _connectGate.Release(); }
    }

    /// <summary>
    /// One refresh loop per burst of list_changed: a notice that arrives while it runs makes it list once more
    /// (so the last change is never lost), and any number of notices in between cost one extra refresh.
    /// </summary>
    private void OnListChanged()
    {
        // 0 idle, 1 refreshing, 2 refreshing and asked again.
        if (Interlocked.Exchange(ref _refreshing, 2) != 0) return;
        _ = Task.Run(async () =>
        {
            do
            {
                Volatile.Write(ref _refreshing, 1);
                await RefreshAsync(CancellationToken.None);
            } while (Interlocked.CompareExchange(ref _refreshing, 0, 1) != 1);
        });
    }

    private async Task<McpClient> ConnectAsync(CancellationToken ct)
    {
        using var deadline = new UpstreamDeadline(Timeout, _time, ct);
        var transport = UpstreamTransportFactory.Create(Config, _http, _loggers);
        try
        {
            return await McpClient.CreateAsync(transport, new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "shadowmcp-portal", Version = PortalVersion.Value },
                ProtocolVersion = Config.ProtocolVersion,
            }, _loggers, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new UpstreamUnavailableException(Config.Id, $"no answer within {Config.TimeoutSeconds}s");
        }
        catch (Exception e) when (e is not OperationCanceledException and not UpstreamUnavailableException)
        {
            throw new UpstreamUnavailableException(Config.Id, e.Message, e);
        }
    }

    private async Task MarkDownAsync(Exception e)
    {
        Healthy = false;
        LastError = e is UpstreamUnavailableException u ? u.Message : $"{e.GetType().Name}: {e.Message}";
        LogDown(Config.Id, LastError);
        var client = Interlocked.Exchange(ref _client, null);
        if (_listChangedRegistration is { } reg) { _listChangedRegistration = null; await reg.DisposeAsync(); }
        await CloseAsync(client);
        for (var i = 0; i < _extra.Length; i++) await CloseAsync(Interlocked.Exchange(ref _extra[i], null));
    }

    private static async Task CloseAsync(McpClient? client)
    {
        if (client is null) return;
        try { await client.DisposeAsync(); }
        catch (Exception) { /* the session is already broken, or we are shutting down */ }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listChangedRegistration is { } reg) await reg.DisposeAsync();
        await CloseAsync(Interlocked.Exchange(ref _client, null));
        for (var i = 0; i < _extra.Length; i++) await CloseAsync(Interlocked.Exchange(ref _extra[i], null));
        _http.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Server} is down: {Error}")]
    private partial void LogDown(string server, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Server} announced tools/list_changed; refreshing")]
    private partial void LogListChanged(string server);
}
