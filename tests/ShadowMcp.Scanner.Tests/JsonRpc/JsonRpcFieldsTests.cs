using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;

namespace ShadowMcp.Scanner.Tests.JsonRpc;

public class JsonRpcFieldsTests
{
    private static List<JsonRpcMessage> Extract(string json) => Extract(Encoding.UTF8.GetBytes(json));

    private static List<JsonRpcMessage> Extract(byte[] json)
    {
        var output = new List<JsonRpcMessage>();
        JsonRpcFields.Extract(json, JsonRpcLimits.Default, output);
        return output;
    }

    [Test]
    public void Extract_McpInitialize_FlattensParams()
    {
        var message = Extract(Http.HttpSamples.InitializeBody).Single();

        Assert.Multiple(() =>
        {
            Assert.That(message.Kind, Is.EqualTo(ObservationKinds.JsonRpcRequest));
            Assert.That(message.Method, Is.EqualTo("initialize"));
            Assert.That(message.Id, Is.EqualTo("0"));
            Assert.That(message.Batch, Is.False);
            Assert.That(message.Members.Get("params"), Is.EqualTo("{}"));
            Assert.That(message.Members.Get("params.protocolVersion"), Is.EqualTo("2025-06-18"));
            Assert.That(message.Members.Get("params.capabilities.roots"), Is.EqualTo("{}"));
            Assert.That(message.Members.Get("params.capabilities.roots.listChanged"), Is.EqualTo("true"));
            Assert.That(message.Members.Get("params.clientInfo.name"), Is.EqualTo("claude-code"));
        });
    }

    [Test]
    public void Extract_LspInitialize_ExtractsItsOwnFieldsFaithfully()
    {
        var message = Extract("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":4242,"rootUri":"file:///w","capabilities":{},"trace":null}}""").Single();

        Assert.Multiple(() =>
        {
            Assert.That(message.Members.Get("params.processId"), Is.EqualTo("4242"));
            Assert.That(message.Members.Get("params.rootUri"), Is.EqualTo("file:///w"));
            Assert.That(message.Members.Get("params.capabilities"), Is.EqualTo("{}"));
            Assert.That(message.Members.Get("params.trace"), Is.EqualTo("null"));
            Assert.That(message.Members.Has("params.clientInfo"), Is.False);
        });
    }

    [Test]
    public void Extract_EthereumBlockNumber_KeepsEmptyParamsArrayAndHexResult()
    {
        var request = Extract("""{"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":83}""").Single();
        var response = Extract("""{"id":83,"jsonrpc":"2.0","result":"0x4b7"}""").Single();

        Assert.Multiple(() =>
        {
            Assert.That(request.Members.Get("params"), Is.EqualTo("[]"));
            Assert.That(request.Id, Is.EqualTo("83"));
            Assert.That(response.Kind, Is.EqualTo(ObservationKinds.JsonRpcResponse));
            Assert.That(response.Members.Get("result"), Is.EqualTo("0x4b7"));
        });
    }

    [Test]
    public void Extract_ToolsListResult_PutsArrayElementsUnderBracketPaths()
    {
        var message = Extract("""{"jsonrpc":"2.0","id":"a","result":{"tools":[{"name":"get_forecast","inputSchema":{"type":"object"}},{"name":"get_alerts"}],"nextCursor":null}}""").Single();

        Assert.Multiple(() =>
        {
            Assert.That(message.Id, Is.EqualTo("a"));
            Assert.That(message.IdKey, Is.EqualTo("s:a"));
            Assert.That(message.Members.Get("result.tools"), Is.EqualTo("[]"));
            Assert.That(message.Members.GetAll("result.tools[]"), Is.EqualTo(new[] { "{}", "{}" }));
            Assert.That(message.Members.GetAll("result.tools[].name"), Is.EqualTo(new[] { "get_forecast", "get_alerts" }));
            Assert.That(message.Members.Get("result.tools[].inputSchema.type"), Is.EqualTo("object"));
        });
    }

    [Test]
    public void Extract_NotificationErrorAndBatch_AreClassified()
    {
        var batch = Extract("""
            [{"jsonrpc":"2.0","method":"notifications/initialized"},
             {"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"Method not found","data":{"m":"x"}}},
             {"jsonrpc":"1.0","id":8,"method":"old"},
             42,
             {"jsonrpc":"2.0","id":9,"result":{}}]
            """);

        Assert.That(batch.Select(m => m.Kind), Is.EqualTo(new[]
            { ObservationKinds.JsonRpcNotification, ObservationKinds.JsonRpcError, ObservationKinds.JsonRpcResponse }));
        Assert.Multiple(() =>
        {
            Assert.That(batch.All(m => m.Batch), Is.True);
            Assert.That(batch[0].Id, Is.Null);
            Assert.That(batch[1].Members.Get("error.code"), Is.EqualTo("-32601"));
            Assert.That(batch[1].Members.Get("error.message"), Is.EqualTo("Method not found"));
            Assert.That(batch[1].Members.Get("error.data.m"), Is.EqualTo("x"));
            Assert.That(batch[2].Members.Get("result"), Is.EqualTo("{}"));
        });
    }

    [Test]
    public void Extract_NotJsonRpc_YieldsNothing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Extract("""{"id":1,"method":"x"}"""), Is.Empty);
            Assert.That(Extract("""{"jsonrpc":2.0,"id":1,"method":"x"}"""), Is.Empty);
            Assert.That(Extract("""{"choices":[{"delta":{}}]}"""), Is.Empty);
            Assert.That(Extract("[DONE]"), Is.Empty);
            Assert.That(Extract(""), Is.Empty);
        });
    }

    [Test]
    public void Extract_DeepValue_StopsAtDepthFiveKeepingMarkers()
    {
        var message = Extract("""{"jsonrpc":"2.0","id":1,"result":{"a":{"b":{"c":{"d":{"e":{"f":1}},"d2":[[["x"]]]}}}}}""").Single();

        Assert.Multiple(() =>
        {
            Assert.That(message.Members.Get("result.a.b.c.d.e"), Is.EqualTo("{}"));
            Assert.That(message.Members.Has("result.a.b.c.d.e.f"), Is.False);
            Assert.That(message.Members.Get("result.a.b.c.d2[]"), Is.EqualTo("[]"));
            Assert.That(message.Members.Has("result.a.b.c.d2[][]"), Is.False);
        });
    }

    [Test]
    public void Extract_ManyMembers_AreCappedAt256Fields()
    {
        var members = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"k{i}\":{i}"));
        var message = Extract("""{"jsonrpc":"2.0","id":1,"method":"m","params":{""" + members + "}}").Single();

        Assert.That(message.Members.Count, Is.EqualTo(256));
        Assert.That(message.Method, Is.EqualTo("m"));
    }

    [Test]
    public void Extract_EscapedAndLongStrings_AreDecodedAndCut()
    {
        var longValue = new string('z', 2000);
        var escapes = string.Concat(Enumerable.Repeat("\\u0041", 600));
        const string head = """{"jsonrpc":"2.0","id":"\u0069d","method":"m\n","params":{"t":"caf\u00e9 \ud83d\ude00 \"q\" \\","long":""";
        var message = Extract(head + "\"" + longValue + "\",\"esc\":\"" + escapes + "\"}}").Single();

        Assert.Multiple(() =>
        {
            Assert.That(message.Id, Is.EqualTo("id"));
            Assert.That(message.Method, Is.EqualTo("m\n"));
            Assert.That(message.Members.Get("params.t"), Is.EqualTo("café 😀 \"q\" \\"));
            Assert.That(message.Members.Get("params.long"), Is.EqualTo(new string('z', 512)));
            Assert.That(message.Members.Get("params.esc"), Is.EqualTo(new string('A', 512)));
        });
    }

    [Test]
    public void Extract_MegabyteString_KeepsABoundedPrefixWithoutCopyingTheValue()
    {
        var json = Encoding.UTF8.GetBytes(
            """{"jsonrpc":"2.0","id":1,"method":"m","params":{"big":""" + "\"" + new string('q', 1_000_000) + "\",\"after\":2}}");
        Extract(json); // warm-up: first-call allocations (type loading, caches) are not the parser's
        var output = new List<JsonRpcMessage>();

        var before = GC.GetAllocatedBytesForCurrentThread();
        JsonRpcFields.Extract(json, JsonRpcLimits.Default, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var message = output.Single();
        Assert.Multiple(() =>
        {
            Assert.That(message.Members.Get("params.big")!.Length, Is.EqualTo(512));
            Assert.That(message.Members.Get("params.after"), Is.EqualTo("2"));
            // Work, not wall time: a megabyte value read or copied whole would allocate at least a megabyte.
            Assert.That(allocated, Is.LessThan(64 * 1024), $"{allocated} bytes allocated for a 1 MB value");
        });
    }

    [Test]
    public void Extract_HostileInputs_DoNotThrow()
    {
        var deep = """{"jsonrpc":"2.0","id":1,"method":"m","params":""" + new string('[', 10_000) + new string(']', 10_000) + "}";
        var invalidUtf8 = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"m","params":{"s":"AB"}}""");
        invalidUtf8[^5] = 0xFF;
        invalidUtf8[^6] = 0xC3;

        Assert.Multiple(() =>
        {
            Assert.That(Extract(deep), Is.Empty);
            // Utf8JsonReader validates UTF-8 inside strings: the message is refused, not mangled.
            Assert.That(Extract(invalidUtf8), Is.Empty);
            Assert.That(Extract("""{"jsonrpc":"2.0","id":1,"method":"m","params":{"a":"""), Is.Empty);
            Assert.That(Extract(new byte[] { 0xEF, 0xBB, 0xBF, 0x00, 0xFF, (byte)'{' }), Is.Empty);
        });
    }

    [Test]
    public void Extract_TruncatedBatch_YieldsTheCompleteElements()
    {
        var messages = Extract("""[{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":2,"result":{"tools":[{"na""");

        Assert.That(messages.Select(m => m.Id), Is.EqualTo(new[] { "1" }));
    }

    [Test]
    public void Extract_RandomBytes_NeverThrow()
    {
        var random = new Random(99);
        var seed = Encoding.UTF8.GetBytes(Http.HttpSamples.InitializeResult);
        for (int i = 0; i < 2000; i++)
        {
            var data = (byte[])seed.Clone();
            for (int k = 0; k < 1 + random.Next(6); k++) data[random.Next(data.Length)] = (byte)random.Next(256);
            Assert.DoesNotThrow(() => Extract(data[..random.Next(data.Length)]));
        }
    }
}
