using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Portal.Dlp;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Relay;

// Logging is deprecated from 2026-07-28 (SEP-2577), but 2025-11-25 clients and servers use it today.
#pragma warning disable MCP9005

/// <summary>
/// One caller's stateful session on the portal, and the private upstream sessions opened for it. An upstream
/// that samples, elicits or logs in the middle of a call must reach exactly this caller, so a caller that can
/// answer (it declared sampling or elicitation) or asked for logs gets its own session per upstream; everyone
/// else shares the portal's one. Private sessions close with the caller's session.
/// </summary>
internal sealed class DownstreamSession(McpServer session, bool codeMode, CallJournal journal,
    PrivateSessionQuota? quota = null)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<McpClient>>> _private = new(StringComparer.Ordinal);
    private readonly List<(string ServerId, McpServer Request)> _inFlight = [];
    private volatile bool _closed;

    public McpServer Session { get; } = session;
    public bool CodeMode { get; } = codeMode;

    /// <summary>The level the caller set with logging/setLevel; null means it wants no log messages.</summary>
    public LoggingLevel? LogLevel { get; set; }

    /// <summary>Whether calls to an upstream with these relay switches need this caller's own session: only when
    /// the caller can answer something the upstream may ask, or wants logs the upstream may send.</summary>
    public bool NeedsPrivateSession(Config.RelaySettings relay) =>
        (relay.Sampling && Session.ClientCapabilities?.Sampling is not null)
        || (relay.Elicitation && Session.ClientCapabilities?.Elicitation is not null)
        || (relay.Logs && LogLevel is not null);

    /// <summary>
    /// Marks a call to <paramref name="serverId"/> in progress, so that server's mid-call requests go out on that
    /// call's own response stream (not on a concurrent call to another server).
    /// </summary>
    public IDisposable Track(string serverId, McpServer requestServer)
    {
        lock (_inFlight) _inFlight.Add((serverId, requestServer));
        return new Untrack(this, (serverId, requestServer));
    }

    private sealed class Untrack(DownstreamSession owner, (string, McpServer) entry) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._inFlight) owner._inFlight.Remove(entry);
        }
    }

    /// <summary>The upstream deadlines of this session's calls, paused while an upstream waits on this caller.</summary>
    public UpstreamClocks Clocks { get; } = new();

    private McpServer Target(string serverId)
    {
        lock (_inFlight)
        {
            for (var i = _inFlight.Count - 1; i >= 0; i--)
                if (_inFlight[i].ServerId == serverId) return _inFlight[i].Request;
            return Session;
        }
    }

    /// <returns>
    /// This caller's own session to <paramref name="upstream"/>, or null when the upstream's limit on private
    /// sessions is reached: the call then shares the portal's session, with progress but no questions or logs.
    /// </returns>
    public async Task<McpClient?> PrivateClientAsync(UpstreamConnection upstream, PortalCaller caller, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _lastUse[upstream.Config.Id] = Environment.TickCount64;
        var lazy = _private.GetOrAdd(upstream.Config.Id, _ => new Lazy<Task<McpClient>>(() => OpenAsync(upstream, caller)));
        if (_closed)
        {
            // Closed between the check and the add: DisposeAsync may have missed this entry, so close it here.
            if (_private.TryRemove(new KeyValuePair<string, Lazy<Task<McpClient>>>(upstream.Config.Id, lazy))) await CloseAsync(lazy);
            throw new ObjectDisposedException(nameof(DownstreamSession));
        }
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (PrivateSessionLimitException)
        {
            _private.TryRemove(new KeyValuePair<string, Lazy<Task<McpClient>>>(upstream.Config.Id, lazy));
            return null;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _private.TryRemove(new KeyValuePair<string, Lazy<Task<McpClient>>>(upstream.Config.Id, lazy));
            throw;
        }
    }

    private readonly ConcurrentDictionary<string, long> _lastUse = new(StringComparer.Ordinal);

    /// <summary>
    /// Closes private sessions no call has used for <paramref name="idle"/> and none is using now, giving their
    /// slots back: clients that reconnect without ending their old session would otherwise hold them for hours.
    /// </summary>
    public async Task CloseIdleAsync(TimeSpan idle)
    {
        var cutoff = Environment.TickCount64 - (long)idle.TotalMilliseconds;
        foreach (var (serverId, lazy) in _private)
        {
            if (_lastUse.GetValueOrDefault(serverId) > cutoff) continue;
            if (Clocks.Running(serverId)) continue;
            if (_private.TryRemove(new KeyValuePair<string, Lazy<Task<McpClient>>>(serverId, lazy))) await CloseAsync(lazy);
        }
    }

    /// <summary>After a failed call: the private session may be broken, so the next call opens a fresh one.</summary>
    public async Task DropAsync(string serverId, McpClient? failed)
    {
        // Only the session that failed: another call may already have opened a fresh one.
        if (failed is null || !_private.TryGetValue(serverId, out var lazy) || !lazy.IsValueCreated) return;
        if (!lazy.Value.IsCompletedSuccessfully || !ReferenceEquals(lazy.Value.Result, failed)) return;
        if (_private.TryRemove(new KeyValuePair<string, Lazy<Task<McpClient>>>(serverId, lazy))) await CloseAsync(lazy);
    }

    public async Task SetLogLevelAsync(LoggingLevel level)
    {
        LogLevel = level;
        foreach (var (_, lazy) in _private)
        {
            try
            {
                var client = await lazy.Value;
                if (client.ServerCapabilities.Logging is not null) await client.SetLoggingLevelAsync(level);
            }
            catch (Exception) { /* a broken private session is replaced at its next call */ }
        }
    }

    private async Task<McpClient> OpenAsync(UpstreamConnection upstream, PortalCaller caller)
    {
        // Over the quota, this user's least recently used idle private session to the upstream makes room
        // (a caller who reconnects keeps its relays); only when none is idle does the call share the portal's.
        if (!upstream.TryReservePrivateSession(caller.User)
            && !(quota is not null && await quota.EvictLeastRecentAsync(upstream.Config.Id, caller.User, this)
                 && upstream.TryReservePrivateSession(caller.User)))
            throw new PrivateSessionLimitException();
        try
        {
            var client = await OpenReservedAsync(upstream, caller);
            _owners[client] = (upstream, caller.User);
            _users[upstream.Config.Id] = caller.User;
            return client;
        }
        catch
        {
            upstream.ReleasePrivateSession(caller.User);
            throw;
        }
    }

    private sealed class PrivateSessionLimitException : Exception;

    // Whose private session to each upstream this is: the quota evicts per user.
    private readonly ConcurrentDictionary<string, string> _users = new(StringComparer.Ordinal);

    /// <summary>Whether this session holds an open private session to <paramref name="serverId"/> for <paramref name="user"/>.</summary>
    public bool HoldsPrivate(string serverId, string user) =>
        _private.TryGetValue(serverId, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully
        && _users.TryGetValue(serverId, out var owner) && owner == user;

    /// <summary>When this session last used its private session to <paramref name="serverId"/> (for LRU order).</summary>
    public long LastUse(string serverId) => _lastUse.GetValueOrDefault(serverId);

    /// <summary>Closes the private session to <paramref name="serverId"/> unless a call is using it now.</summary>
    public async Task<bool> EvictAsync(string serverId)
    {
        lock (_inFlight) if (_inFlight.Any(e => e.ServerId == serverId)) return false;
        if (Clocks.Running(serverId)) return false;
        if (!_private.TryGetValue(serverId, out var lazy)) return false;
        if (!_private.TryRemove(new KeyValuePair<string, Lazy<Task<McpClient>>>(serverId, lazy))) return false;
        await CloseAsync(lazy);
        return true;
    }

    // Which upstream each open private session counts against, so closing it gives the slot back.
    private readonly ConcurrentDictionary<McpClient, (UpstreamConnection Upstream, string User)> _owners = new();

    private async Task<McpClient> OpenReservedAsync(UpstreamConnection upstream, PortalCaller caller)
    {
        var relay = upstream.Config.Relay;
        var callerCanAnswer = Session.ClientCapabilities;
        // What the caller can answer, narrowed by what this server may ask.
        var wanted = new ClientCapabilities
        {
            Sampling = relay.Sampling ? callerCanAnswer?.Sampling : null,
            Elicitation = relay.Elicitation ? callerCanAnswer?.Elicitation : null,
        };
        var dlp = upstream.Config.Dlp;
        var serverId = upstream.Config.Id;
        var handlers = new McpClientHandlers
        {
            NotificationHandlers = relay.Logs
                ? [new(NotificationMethods.LoggingMessageNotification, (n, ct) => RelayLogAsync(serverId, dlp.Results, n, ct))]
                : [],
        };
        if (wanted.Sampling is not null)
            handlers.SamplingHandler = (request, _, ct) => RelayQuestionAsync(caller, serverId, dlp, RequestMethods.SamplingCreateMessage,
                request!, (target, asked, t) => target.SampleAsync(asked, t), _ => CallOutcome.Ok, "sampling", ct);
        if (wanted.Elicitation is not null)
            handlers.ElicitationHandler = (request, ct) => RelayQuestionAsync(caller, serverId, dlp, RequestMethods.ElicitationCreate,
                request!, (target, asked, t) => target.ElicitAsync(asked, t), ElicitationOutcome, "elicitation", ct);
        // Declare to the upstream exactly what the caller declared to us: no more, so it never waits on an
        // answer nobody can give.
        var client = await upstream.OpenPrivateSessionAsync(handlers, wanted, Session.NegotiatedProtocolVersion, CancellationToken.None);
        client.AddKnownTools(upstream.Tools);
        if (relay.Logs && LogLevel is { } level && client.ServerCapabilities.Logging is not null) await client.SetLoggingLevelAsync(level);
        return client;
    }

    /// <summary>
    /// An upstream's question to this caller (sampling or elicitation), run through the call pipeline's journal
    /// like any request: the question passes the server's results DLP action, the answer its arguments action,
    /// the upstream's clock stops while the caller answers, and exactly one audit row names outcome and detectors.
    /// </summary>
    private async ValueTask<TAnswer> RelayQuestionAsync<TAsk, TAnswer>(PortalCaller caller, string serverId,
        Config.DlpSettings dlp, string method, TAsk request, Func<McpServer, TAsk, CancellationToken, ValueTask<TAnswer>> ask,
        Func<TAnswer, CallOutcome> outcomeOf, string what, CancellationToken ct) where TAsk : class where TAnswer : class =>
        await journal.RunAsync(new CallRecord(caller, method, null, null) { Server = serverId, Reason = RelayedReason }, async call =>
        {
            var asked = DlpStep.Run(call, "request", () => DlpGuard.Apply(dlp.Results, request, $"the upstream's {what} request"));
            TAnswer given;
            using (Clocks.Pause(serverId)) given = await ask(Target(serverId), asked, ct);
            return DlpStep.Run(call, "answer", () => DlpGuard.Apply(dlp.Arguments, given, $"the {what} answer"));
        }, outcomeOf, ct);

    private const string RelayedReason = "relayed to the caller";

    private static CallOutcome ElicitationOutcome(ElicitResult answer) => answer.Action switch
    {
        "accept" => CallOutcome.Accepted,
        "decline" => CallOutcome.Declined,
        "cancel" => CallOutcome.Dismissed,
        _ => CallOutcome.Error,
    };

    private async ValueTask RelayLogAsync(string serverId, string dlpAction, JsonRpcNotification notification, CancellationToken ct)
    {
        if (LogLevel is not { } minimum || notification.Params is null) return;
        var message = JsonSerializer.Deserialize<LoggingMessageNotificationParams>(notification.Params, McpJsonUtilities.DefaultOptions);
        if (message is null || message.Level < minimum) return;
        try
        {
            var (clean, _) = DlpGuard.Apply(dlpAction, message, "a log message");
            // Say which server spoke: the caller sees one portal, not the upstreams behind it.
            clean.Logger = clean.Logger is { Length: > 0 } name ? $"{serverId}/{name}" : serverId;
            await Target(serverId).SendNotificationAsync(NotificationMethods.LoggingMessageNotification, clean, McpJsonUtilities.DefaultOptions, ct);
        }
        catch (McpProtocolException) { /* blocked by DLP: the message is dropped, the call goes on */ }
        catch (Exception) when (!ct.IsCancellationRequested) { /* the caller went away */ }
    }

    private async Task CloseAsync(Lazy<Task<McpClient>> lazy)
    {
        McpClient client;
        try { client = await lazy.Value; }
        catch (Exception) { return; } // never opened: nothing reserved is left
        if (_owners.TryRemove(client, out var owner)) owner.Upstream.ReleasePrivateSession(owner.User);
        try { await client.DisposeAsync(); }
        catch (Exception) { /* already broken */ }
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        foreach (var key in _private.Keys.ToList())
            if (_private.TryRemove(key, out var lazy)) await CloseAsync(lazy);
    }
}
