namespace ShadowMcp.Portal.Config;

/// <summary>Listener, hardening and audit settings.</summary>
public sealed class PortalSettings
{
    /// <summary>Externally visible base URL (e.g. http://127.0.0.1:8080); when null it is taken from each request.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Host header values accepted besides loopback names (DNS-rebinding defence).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Origin header values accepted besides loopback origins.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public long MaxRequestBytes { get; set; } = 1024 * 1024;
    public int MaxConcurrentCalls { get; set; } = 128;
    public int RefreshSeconds { get; set; } = 300;

    /// <summary>
    /// Stateful caller sessions (one per MCP initialize) the portal holds at once, all users together. When full,
    /// a new session is refused (HTTP 503); nobody's session is closed to make room. The MCP SDK's own cap, which
    /// would close whoever's session was idle longest, is set above this so it never decides.
    /// </summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>
    /// Stateful caller sessions one user (token or JWT subject) may hold at once. A user at the cap who starts
    /// another gets room by closing that same user's least recently used idle session; when all of them are busy
    /// the new one is refused (HTTP 429). Another user's session is never closed for it.
    /// </summary>
    public int MaxSessionsPerUser { get; set; } = 32;

    /// <summary>
    /// This replica's name in audit rows when several portals share one PostgreSQL store (default: the host name).
    /// Unused on a SQLite store, which has one portal.
    /// </summary>
    public string? ReplicaId { get; set; }

    /// <summary>Per-upstream and per-caller concurrency, queueing and rate limits (see docs/portal.md).</summary>
    public LimitSettings Limits { get; set; } = new();

    /// <summary>Store tool arguments in audit rows. Off by default: only their size and hash are kept.</summary>
    public bool AuditArguments { get; set; }

    /// <summary>
    /// The enforcer's redirect mode points shadow MCP host names at the portal. With this set, an MCP request that
    /// arrives under such a name gets a JSON-RPC error naming the portal and how to get access (instead of a bare
    /// 403), and is audited as a conversion attempt.
    /// </summary>
    public ShadowRedirectSettings? ShadowRedirect { get; set; }

    /// <summary>How requests without valid credentials are rate-limited and summarised in the audit log.</summary>
    public UnauthenticatedSettings Unauthenticated { get; set; } = new();

    /// <summary>The audit log's HMAC key, checkpoint signing key and checkpoint sinks.</summary>
    public AuditSettings Audit { get; set; } = new();
}

public sealed class ShadowRedirectSettings
{
    /// <summary>Host names redirected here ("*.example" for subdomains); empty means any host not otherwise allowed.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Where people request access (a ticket form, a wiki page).</summary>
    public string? AccessUrl { get; set; }
}
