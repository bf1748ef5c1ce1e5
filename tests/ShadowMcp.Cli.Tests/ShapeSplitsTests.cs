using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Shape;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// The evaluation's splits of the shape feature table (docs/shape-classifier.md): which look-alike families train
/// and which test must not change when a corpus gains a family, or two corpora's figures cannot be compared.
/// </summary>
public sealed class ShapeSplitsTests
{
    private static readonly string[] FifthFamilies =
    [
        "a2a-sse", "chat-post-sse", "chat-sse", "download", "eth-rpc", "graphql-poll", "graphql-sse", "h2-rpc",
        "jsonrpc-feed", "jsonrpc-post", "long-poll", "rest-client", "rest-crud", "sse-feed", "telemetry", "webhook",
        "websocket",
    ];

    private static ShapeSample LookAlike(string family) => new($"tcp:{family}", family, "node", "http/1.1 tls1.3",
        false, new float[3]);

    private static ShapeSample Mcp(string stack) => new($"tcp:{stack}", "mcp:short", stack, "http/1.1 tls1.3",
        true, new float[3]);

    private static HashSet<string> TrainFamilies(IEnumerable<string> families)
    {
        var rows = families.Select(LookAlike).Append(Mcp("typescript")).Append(Mcp("csharp")).ToList();
        var (train, _) = ShapeSplits.CrossStack(rows, "typescript", "csharp");
        return train.Where(r => !r.IsMcp).Select(r => r.Family).ToHashSet(StringComparer.Ordinal);
    }

    [Test]
    public void FifthCorpusFamilies_SplitAlternatelyInNameOrder()
    {
        var expected = FifthFamilies.Order(StringComparer.Ordinal).Where((_, i) => i % 2 == 0);

        Assert.That(TrainFamilies(FifthFamilies), Is.EquivalentTo(expected));
    }

    [Test]
    public void AddedFamilies_MoveNoOtherFamilyToTheOtherHalf()
    {
        var before = TrainFamilies(FifthFamilies);

        var after = TrainFamilies(FifthFamilies.Concat(["asset-fetch", "metrics-scrape", "aaa-new", "zzz-new"]));

        Assert.Multiple(() =>
        {
            Assert.That(after.Intersect(FifthFamilies), Is.EquivalentTo(before));
            Assert.That(after, Does.Contain("metrics-scrape").And.Not.Contain("asset-fetch"));
            // families named nowhere alternate in name order: the first trains, the second tests
            Assert.That(after, Does.Contain("aaa-new").And.Not.Contain("zzz-new"));
        });
    }

    [Test]
    public void LegacyLayoutLookAlikes_AreOnBothHalves_AndTheBulkFamiliesStayWhereTheyWere()
    {
        // the thirteenth round's table: the fifth plan's families, the tenth round's bulk families and sse-channel,
        // a second family with the legacy HTTP+SSE layout that must train where chat-post-sse tests
        var bulk = new[] { "hls-fetch", "object-store", "pkg-mirror" };
        var before = TrainFamilies(FifthFamilies.Concat(bulk));

        var after = TrainFamilies(FifthFamilies.Concat(bulk).Append("sse-channel"));

        Assert.Multiple(() =>
        {
            Assert.That(after, Does.Contain("sse-channel").And.Not.Contain("chat-post-sse"));
            Assert.That(after.Intersect(FifthFamilies.Concat(bulk)), Is.EquivalentTo(before));
        });
    }

    [TestCase("mcp:agent-sessionless-h2", "2026-07-28 sessionless")]
    [TestCase("mcp:reader-sessionless", "2026-07-28 sessionless")]
    [TestCase("mcp:short-sse", "legacy HTTP+SSE")]
    [TestCase("mcp:idle-tmcp-sse", "legacy HTTP+SSE")]
    [TestCase("mcp:burst-stateless", "Streamable HTTP stateless, JSON answers")]
    [TestCase("mcp:parallel-ts-stateless", "Streamable HTTP stateless, JSON answers")]
    [TestCase("mcp:agent-ts-stateful", "Streamable HTTP")]
    [TestCase("mcp:short-json", "Streamable HTTP")]
    public void ProtocolOf_BehaviourName_GivesTheProtocolItSpoke(string family, string protocol) =>
        Assert.That(ShapeSplits.ProtocolOf(family), Is.EqualTo(protocol));
}
