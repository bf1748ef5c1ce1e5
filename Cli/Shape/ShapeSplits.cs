using ShadowMcp.Classifier.Shape;

namespace ShadowMcp.Cli.Shape;

/// <summary>
/// The splits of the feature table. Held-out: a fixed quarter of the sessions, by a hash of the session id, so
/// a session's flows stay together. Cross-stack: MCP from one client stack plus half of the look-alike families
/// to train, MCP from the other client stack plus the other families to test (every test family is unseen).
/// Held-out stacks: the TypeScript and C# SDKs (clients and servers) plus half the families to train; the stacks
/// kept apart (the AI SDK client, the tmcp server) plus the other families to test.
/// </summary>
internal static class ShapeSplits
{
    /// <summary>Client stacks and a server stack that no split but the held-out-stacks test trains on.</summary>
    public const string AltClient = "aisdk";

    public static bool IsHeldOut(string session)
    {
        var hash = 2166136261u;
        foreach (var ch in session) hash = (hash ^ ch) * 16777619u;
        return hash % 4 == 0;
    }

    /// <summary>An MCP row of the alternative stacks: the AI SDK client, or a tmcp server (its behaviour names it).</summary>
    public static bool IsAltStack(ShapeSample r) =>
        r.IsMcp && (r.ClientStack == AltClient || r.Family.Contains("-tmcp", StringComparison.Ordinal));

    /// <summary>
    /// The protocol an MCP session's behaviour name says it spoke: "2026-07-28 sessionless" (the C# SDK's stateless
    /// server), "legacy HTTP+SSE", "Streamable HTTP stateless, JSON answers" (the TypeScript SDK server without
    /// session ids, answering application/json), or "Streamable HTTP" (the initialize handshake and a session id).
    /// </summary>
    public static string ProtocolOf(string family) =>
        family.Contains("-sessionless", StringComparison.Ordinal) ? "2026-07-28 sessionless"
        : family.EndsWith("-sse", StringComparison.Ordinal) ? "legacy HTTP+SSE"
        : family.EndsWith("-stateless", StringComparison.Ordinal) ? "Streamable HTTP stateless, JSON answers"
        : "Streamable HTTP";

    public static (List<ShapeSample> Train, List<ShapeSample> Test) CrossStack(
        IReadOnlyList<ShapeSample> rows, string trainStack, string testStack)
    {
        var groupA = FamilyGroupA(rows);
        var trainOnA = trainStack == "typescript";
        var known = rows.Where(r => !IsAltStack(r)).ToList();
        bool InTrain(ShapeSample r) => r.IsMcp ? r.ClientStack == trainStack : groupA.Contains(r.Family) == trainOnA;
        bool InTest(ShapeSample r) => r.IsMcp ? r.ClientStack == testStack : groupA.Contains(r.Family) != trainOnA;
        return (known.Where(InTrain).ToList(), known.Where(InTest).ToList());
    }

    /// <summary>Train on the SDK stacks and half the families, test on the alternative stacks and the other half.</summary>
    public static (List<ShapeSample> Train, List<ShapeSample> Test) AltStacks(IReadOnlyList<ShapeSample> rows)
    {
        var groupA = FamilyGroupA(rows);
        return (rows.Where(r => r.IsMcp ? !IsAltStack(r) : groupA.Contains(r.Family)).ToList(),
            rows.Where(r => r.IsMcp ? IsAltStack(r) : !groupA.Contains(r.Family)).ToList());
    }

    /// <summary>
    /// The two halves of the look-alike families, by name: the fifth corpus' families alternately in name order,
    /// and of the families added since, metrics-scrape to A and asset-fetch to B, and sse-channel (the thirteenth
    /// round's second look-alike of the legacy HTTP+SSE layout) to A, opposite chat-post-sse: with the tenth round's
    /// bulk families in a table it would alternate onto B, and the layout would be unseen on one half only.
    /// Alternating over whatever names a table has would move most families to the other half whenever one is added,
    /// and the splits of two corpora could no longer be compared. A family named in neither half joins them
    /// alternately in name order.
    /// </summary>
    private static readonly string[] GroupA =
    [
        "a2a-sse", "chat-sse", "eth-rpc", "graphql-sse", "jsonrpc-feed", "long-poll", "rest-crud", "telemetry",
        "websocket", "metrics-scrape", "sse-channel",
    ];

    private static readonly string[] GroupB =
    [
        "chat-post-sse", "download", "graphql-poll", "h2-rpc", "jsonrpc-post", "rest-client", "sse-feed", "webhook",
        "asset-fetch",
    ];

    internal static HashSet<string> FamilyGroupA(IReadOnlyList<ShapeSample> rows)
    {
        var groupA = new HashSet<string>(GroupA, StringComparer.Ordinal);
        groupA.UnionWith(rows.Where(r => !r.IsMcp && !GroupA.Contains(r.Family) && !GroupB.Contains(r.Family))
            .Select(r => r.Family).Distinct().Order(StringComparer.Ordinal).Where((_, i) => i % 2 == 0));
        return groupA;
    }
}
