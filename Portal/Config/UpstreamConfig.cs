namespace ShadowMcp.Portal.Config;

/// <summary>One approved MCP server behind the portal.</summary>
public sealed class UpstreamConfig
{
    public string Id { get; set; } = "";
    public string? Url { get; set; }
    public string? Command { get; set; }
    public List<string> Args { get; set; } = [];

    /// <summary>
    /// Literal variables for a stdio upstream. Its process starts with an empty environment plus PATH and the
    /// variables named here, in envFrom and in secretFiles; nothing else of the portal's environment is inherited.
    /// </summary>
    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Stdio upstream variable name to the portal's environment variable that holds its value (for secrets).</summary>
    public Dictionary<string, string> EnvFrom { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Stdio upstream variable name to a file whose content (trailing newline removed) is its value.</summary>
    public Dictionary<string, string> SecretFiles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>auto, streamable, sse or stdio. auto: "/mcp" is Streamable HTTP, "/sse" legacy SSE, else both tried.</summary>
    public string Transport { get; set; } = "auto";

    /// <summary>Static headers sent to the upstream only; never shown to clients.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public OAuthClientCredentials? OAuth { get; set; }
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Protocol revision to request from the upstream; null lets the SDK negotiate (2026-07-28 first). An
    /// initialize-era version (e.g. 2025-11-25) keeps a session open, over which list_changed arrives at once.
    /// </summary>
    public string? ProtocolVersion { get; set; }

    /// <summary>
    /// Sessions the portal keeps open to an HTTP upstream for tools/call (round-robin); default: one per core.
    /// Stdio upstreams always get one (each session would be another process).
    /// </summary>
    public int? Sessions { get; set; }

    /// <summary>
    /// At most this many callers at once get a private session to this upstream (for sampling, elicitation and
    /// logs); beyond it calls share the portal's session. Default 64, or 8 for a stdio upstream, where each
    /// private session is a process.
    /// </summary>
    public int? MaxPrivateSessions { get; set; }

    /// <summary>At most this many of them for one user (token or JWT subject) at once.</summary>
    public int MaxPrivateSessionsPerUser { get; set; } = 16;

    /// <summary>Prefix used instead of the id in exposed tool names.</summary>
    public string? Alias { get; set; }

    public Dictionary<string, string> DescriptionOverrides { get; set; } = new(StringComparer.Ordinal);
    public ToolSelection Tools { get; set; } = new();
    public DlpSettings Dlp { get; set; } = new();

    /// <summary>What a drifted tool definition does: alert (record and keep) or hide (until re-approved). off disables pinning.</summary>
    public string Pinning { get; set; } = "alert";

    /// <summary>Mid-call requests (sampling, elicitation, log lines) this upstream may send on to callers.</summary>
    public RelaySettings Relay { get; set; } = new();

    /// <summary>
    /// Expose this server's tools and prompts under their own names, without "{prefix}_". Meant for a portal
    /// that fronts a single server; a clash with another server's name still gets a hash suffix.
    /// </summary>
    public bool Unprefixed { get; set; }

    public string Prefix => Unprefixed ? "" : string.IsNullOrWhiteSpace(Alias) ? Id : Alias!;
}
