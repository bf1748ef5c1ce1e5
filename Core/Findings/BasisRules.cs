namespace ShadowMcp.Core.Findings;

/// <summary>
/// The one mapping from stored evidence to <see cref="FindingBasis"/>, used by every reader (the read API's lists and
/// filter, the weekly report). An evidence row names its rule and keeps its detail; the rule says what it looked at
/// (rules/*.yaml: its <c>observation</c>), the detail says whether the bytes were decrypted, and the finding's sources
/// say whether ShadowMcp's own probe saw it. A rule not listed here maps to <see cref="FindingBasis.Other"/>.
/// </summary>
public static class BasisRules
{
    /// <summary>What the classifier appends to a detail seen in TLS traffic decrypted with a key log.</summary>
    public const string DecryptedSuffix = " (decrypted)";

    /// <summary>The scanned-file path <c>shadowmcp probe</c> saves its results under.</summary>
    public const string ProbeSourcePath = "probe";

    /// <summary>Rules that read MCP itself: JSON-RPC messages, MCP's HTTP headers and status codes, SSE events.</summary>
    public static IReadOnlyList<string> ContentRules { get; } =
    [
        "mcp-session-id-header", "mcp-protocol-version-header", "mcp-method-header", "mcp-accept-pair", "mcp-sse-endpoint-event",
        "mcp-initialize-request", "mcp-initialize-result", "mcp-initialized-notification", "mcp-discover-request",
        "mcp-discover-result", "mcp-request-meta",
        "mcp-tools-request", "mcp-resources-prompts-request", "mcp-subscriptions-listen", "mcp-list-changed-notification",
        "mcp-server-to-client-request", "mcp-tools-list-result",
        "mcp-oauth-challenge-on-mcp-request", "mcp-oauth-resource-metadata-challenge", "mcp-oauth-metadata-fetch",
        "mcp-sdk-transport-error", "mcp-protocol-error",
        "mcp-tool-declared-destructive", "mcp-tool-declared-open-world", "mcp-tool-description-injection",
        "mcp-tool-description-invisible-text", "mcp-request-without-credentials",
    ];

    /// <summary>Rules that look at a name only: DNS questions, TLS SNI, an HTTP Host header.</summary>
    public static IReadOnlyList<string> NameRules { get; } =
    [
        "mcp-known-host-dns", "mcp-known-host-tls", "mcp-known-host-http", "mcp-host-pattern", "mcp-host-pattern-tls",
        "mcp-host-pattern-http", "mcp-shared-host-dns", "mcp-shared-host-tls",
    ];

    /// <summary>Rules on the shape model's score of encrypted flows (rules/mcp-shape.yaml).</summary>
    public static IReadOnlyList<string> ShapeRules { get; } = ["mcp-shape-session", "mcp-shape-several-clients"];

    /// <summary>A host inventory's evidence (Hosts/Inventory/HostFindings).</summary>
    public static IReadOnlyList<string> HostRules { get; } = ["host.config", "host.process", "host.secret"];

    /// <summary>Every rule this mapping places.</summary>
    public static IReadOnlyList<string> KnownRules { get; } = [.. ContentRules, .. NameRules, .. ShapeRules, .. HostRules];

    private static readonly Dictionary<string, FindingBasis> ByRule = BuildTable();

    private static Dictionary<string, FindingBasis> BuildTable()
    {
        var table = new Dictionary<string, FindingBasis>(StringComparer.Ordinal);
        foreach (var r in ContentRules) table.Add(r, FindingBasis.Content);
        foreach (var r in NameRules) table.Add(r, FindingBasis.Name);
        foreach (var r in ShapeRules) table.Add(r, FindingBasis.Shape);
        foreach (var r in HostRules) table.Add(r, FindingBasis.Host);
        return table;
    }

    /// <summary>
    /// The basis of one evidence row: its rule's, with content read from decrypted TLS as
    /// <see cref="FindingBasis.Decrypted"/>; an unknown rule (or none) is <see cref="FindingBasis.Other"/>.
    /// </summary>
    public static FindingBasis Of(string? rule, string? detail)
    {
        if (rule is null || !ByRule.TryGetValue(rule, out var basis)) return FindingBasis.Other;
        return basis == FindingBasis.Content && IsDecrypted(detail) ? FindingBasis.Decrypted : basis;
    }

    /// <summary>
    /// True when the detail carries the decrypted mark. Case is ignored, as the SQL filter's LIKE ignores it on SQLite
    /// (a plaintext value that ends in the mark reads as decrypted: the same tier, so nothing is overstated).
    /// </summary>
    public static bool IsDecrypted(string? detail) => detail?.EndsWith(DecryptedSuffix, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// A finding's bases from its evidence rows (rule and detail) and its sources. Content read only in the probe's
    /// own exchanges is the probe's: when every source is a probe, content and decrypted give way to
    /// <see cref="FindingBasis.Probe"/>. Evidence rows are merged over sources, so with passive captures beside a
    /// probe both are shown.
    /// </summary>
    public static FindingBases For(IEnumerable<(string Rule, string Detail)> evidence, SourceKinds sources)
    {
        var found = new HashSet<FindingBasis>();
        foreach (var (rule, detail) in evidence) found.Add(Of(rule, detail));
        if (sources.Probe)
        {
            found.Add(FindingBasis.Probe);
            if (sources.ProbeOnly)
            {
                found.Remove(FindingBasis.Content);
                found.Remove(FindingBasis.Decrypted);
            }
        }
        return found.Count == 0 ? FindingBases.None : new FindingBases([.. found]);
    }

    /// <summary><see cref="For(IEnumerable{ValueTuple{string, string}}, SourceKinds)"/> over model evidence.</summary>
    public static FindingBases For(IEnumerable<Evidence> evidence, SourceKinds sources) =>
        For(evidence.Select(e => (e.Rule, e.Detail)), sources);
}
