using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Server;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Relay;

/// <summary>
/// The portal's live stateful sessions. Runs each one (the SDK's session handler hook), so private upstream
/// sessions close with it, and tells every session when what it can list has changed upstream.
/// </summary>
internal sealed partial class SessionHub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DownstreamSession> _sessions = new(StringComparer.Ordinal);
    private readonly UpstreamRegistry _registry;
    private readonly CallJournal _journal;
    private readonly ILogger<SessionHub> _logger;
    private string _fingerprint;
    private readonly PrivateSessionQuota _quota;

    /// <summary>The live sessions, for the private-session quota.</summary>
    internal IEnumerable<DownstreamSession> Sessions => _sessions.Values;

    private readonly CallerSessions _callers;

    public SessionHub(UpstreamRegistry registry, CallJournal journal, CallerSessions callers, ILogger<SessionHub> logger)
    {
        _callers = callers;
        _quota = new PrivateSessionQuota(this);
        _registry = registry;
        _journal = journal;
        _logger = logger;
        // The hub may be created after the first catalog was built: start from what is there now.
        _fingerprint = registry.Catalog.Fingerprint();
        registry.CatalogChanged += OnCatalogChanged;
        _sweeper = Task.Run(SweepAsync);
    }

    /// <summary>How long a caller's private upstream session may sit unused before it is closed.</summary>
    public static readonly TimeSpan PrivateSessionIdle = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sweeper;

    private async Task SweepAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
                foreach (var session in _sessions.Values)
                {
                    try { await session.CloseIdleAsync(PrivateSessionIdle); }
                    catch (Exception) { /* the session is closing anyway */ }
                }
        }
        catch (OperationCanceledException) { /* shutting down */ }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sweeper;
        _stop.Dispose();
    }

    public int Count => _sessions.Count;

    public DownstreamSession? Find(string? sessionId) => sessionId is null ? null : _sessions.GetValueOrDefault(sessionId);

    /// <param name="http">The initialize request that made the session: whose it is, and its admission under the session limits.</param>
    /// <param name="codeMode">Whether the session is a code-mode one (its tool list never changes).</param>
    public async Task RunSessionAsync(HttpContext http, McpServer server, bool codeMode, CancellationToken ct)
    {
        if (server.SessionId is not { } id)
        {
            await server.RunAsync(ct); // stateless (2026-07-28) request: nothing outlives it
            return;
        }
        var session = new DownstreamSession(server, codeMode, _journal, _quota);
        _sessions[id] = session;
        // Counted against its user's and the portal's session limits from now until it ends, however it ends.
        _callers.Register(id, PortalCaller.From(http.User, null, null).User, http.User,
            http.Items.TryGetValue(CallerSessions.ReservationItem, out var r) ? r as CallerSessions.Reservation : null);
        try
        {
            await server.RunAsync(ct);
        }
        finally
        {
            _callers.Unregister(id);
            _sessions.TryRemove(id, out _);
            await session.DisposeAsync();
        }
    }

    private void OnCatalogChanged()
    {
        var fingerprint = _registry.Catalog.Fingerprint();
        var previous = Interlocked.Exchange(ref _fingerprint, fingerprint);
        if (previous == fingerprint) return; // a refresh that changed nothing
        LogListChanged(_sessions.Count);
        foreach (var session in _sessions.Values) _ = NotifyAsync(session);
    }

    private static async Task NotifyAsync(DownstreamSession session)
    {
        try
        {
            // A code-mode session's tool list is always the same two tools; what they search changed, not the list.
            if (!session.CodeMode) await session.Session.SendNotificationAsync(NotificationMethods.ToolListChangedNotification);
            await session.Session.SendNotificationAsync(NotificationMethods.PromptListChangedNotification);
            await session.Session.SendNotificationAsync(NotificationMethods.ResourceListChangedNotification);
        }
        catch (Exception) { /* the session is closing */ }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upstream lists changed; telling {Sessions} sessions")]
    private partial void LogListChanged(int sessions);
}
