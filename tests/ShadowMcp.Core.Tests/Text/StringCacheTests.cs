using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Text;

/// <summary>
/// The packet path's shared string table: repeated paths and short values are one string, text is decoded exactly
/// as before, and what identifies a session or a caller (long values) is never kept in the table.
/// </summary>
public class StringCacheTests
{
    private static readonly JsonRpcLimits Limits = JsonRpcLimits.Default;

    [Test]
    public void FieldPaths_OfTwoMessages_AreTheSameStrings()
    {
        var first = Fields("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"q":"a"}}}""");
        var second = Fields("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search","arguments":{"q":"b"}}}""");
        var a = first.Single(kv => kv.Key == "params.arguments.q").Key;
        var b = second.Single(kv => kv.Key == "params.arguments.q").Key;
        Assert.That(ReferenceEquals(a, b), Is.True, "the path was made twice");
        Assert.That(ReferenceEquals(first.Get("params.name"), second.Get("params.name")), Is.True, "a short value was made twice");
    }

    [Test]
    public void FieldPath_TheCodeNamesAsALiteral_IsThatLiteral()
    {
        // Code reads fields by literal paths (the aggregator's "request.path"): found by reference, not compared char
        // by char. A path no other test makes, so the table cannot hold an earlier copy of it; the literal exists
        // from the moment this method is compiled.
        var bag = Fields("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"literalProbeCursor":"c1"}}""");
        var key = bag.Single(kv => kv.Key.EndsWith("literalProbeCursor", StringComparison.Ordinal)).Key;
        Assert.That(ReferenceEquals(key, "params.literalProbeCursor"), Is.True);
    }

    [Test]
    public void LongValues_AreMadePerMessage()
    {
        const string token = "sk-live-0123456789abcdef0123456789abcdef";
        var json = $$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"key":"{{{token}}}"}}""";
        var a = Fields(json).Get("params.key");
        var b = Fields(json).Get("params.key");
        Assert.That(a, Is.EqualTo(token));
        Assert.That(ReferenceEquals(a, b), Is.False, "a long value (where tokens live) went into the shared table");
    }

    [Test]
    public void Text_IsDecodedAsBefore()
    {
        Assert.That(StringCache.FromUtf8("application/json"u8), Is.EqualTo("application/json"));
        Assert.That(StringCache.FromUtf8("caf\u00e9"u8.ToArray()), Is.EqualTo("caf\u00e9"));
        Assert.That(StringCache.FromUtf8([0x61, 0xff, 0x62]), Is.EqualTo("a\ufffdb"));
        Assert.That(StringCache.FromUtf8([]), Is.EqualTo(""));
        var longName = new string('n', StringCache.MaxChars + 5);
        Assert.That(StringCache.Concat("params.", longName), Is.EqualTo("params." + longName));
        Assert.That(StringCache.Concat("params", ".", "x"), Is.EqualTo("params.x"));
        Assert.That(StringCache.FromUtf8(Encoding.ASCII.GetBytes("0123456789"), maxChars: 4), Is.EqualTo("0123456789"));
    }

    [Test]
    public void PrefixedNames_ThatShareAMemoSlot_AreEachJoinedRight()
    {
        // Same lengths and last characters: every pair lands in one slot of the per-thread memo, evicting the other.
        string[] prefixes = ["http.header.", "resp.header."];
        string[] names = ["x-aa", "x-ba", "y-ca", new string("x-aa".AsSpan())];
        for (var round = 0; round < 3; round++)
            foreach (var prefix in prefixes)
                foreach (var name in names)
                    Assert.That(StringCache.Concat(prefix, name), Is.EqualTo(prefix + name));
        Assert.That(ReferenceEquals(StringCache.Concat("http.header.", "accept"), StringCache.Concat("http.header.", "accept")), Is.True,
            "a repeated header path was made twice");
    }

    private static FieldBag Fields(string json)
    {
        var output = new List<JsonRpcMessage>();
        Assert.That(JsonRpcFields.Extract(Encoding.UTF8.GetBytes(json), Limits, output), Is.True);
        return JsonRpcFields.AddTo(new FieldBag(), output.Single());
    }
}
