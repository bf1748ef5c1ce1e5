using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;

namespace ShadowMcp.Core.Tests.Observations;

/// <summary>
/// The two entry points of <see cref="JsonRpcFields"/>: <c>Extract</c> (the Scanner, wire bytes) and
/// <c>TryReadOne</c> (rule examples) must read one message identically. The end-to-end check through the real
/// Scanner and rule loader is RuleExampleParityTests in the Scanner tests.
/// </summary>
public class JsonRpcFieldsTests
{
    private static readonly string[] Messages =
    [
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}""",
        """{"id":"a","result":{"tools":[{"name":"x"},{"name":"y"}]},"jsonrpc":"2.0"}""",
        """{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"bad"}}""",
        """{"jsonrpc":"2.0","method":"notifications/initialized","extra":1}""",
        """{"jsonrpc":"2.0","id":1,"method":"d","params":{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}}""",
    ];

    [TestCaseSource(nameof(Messages))]
    public void TryReadOne_AnyMessage_ReadsItAsExtractDoes(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var extracted = new List<JsonRpcMessage>();
        Assert.That(JsonRpcFields.Extract(bytes, JsonRpcLimits.Default, extracted), Is.True);

        Assert.That(JsonRpcFields.TryReadOne(bytes, JsonRpcLimits.Default, out var one, out var error), Is.True, error);
        var wire = extracted.Single();
        Assert.Multiple(() =>
        {
            Assert.That(one!.Kind, Is.EqualTo(wire.Kind));
            Assert.That(one.IdKey, Is.EqualTo(wire.IdKey));
            Assert.That(Render(JsonRpcFields.AddTo(new FieldBag(), one)), Is.EqualTo(Render(JsonRpcFields.AddTo(new FieldBag(), wire))));
        });
    }

    [Test]
    public void AddTo_Request_GivesMessageFieldsInScannerOrder()
    {
        var messages = new List<JsonRpcMessage>();
        JsonRpcFields.Extract("""{"params":{"a":[1,"b"]},"id":7,"method":"m","jsonrpc":"2.0","other":{}}"""u8, JsonRpcLimits.Default, messages);

        Assert.That(Render(JsonRpcFields.AddTo(new FieldBag(), messages.Single())),
            Is.EqualTo("jsonrpc=2.0, method=m, id=7, params={}, params.a=[], params.a[]=1, params.a[]=b"));
    }

    [TestCase("""{"jsonrpc":"2.0","id":1}""")]
    [TestCase("""{"jsonrpc":"1.0","id":1,"method":"x"}""")]
    [TestCase("""{"id":1,"method":"x"}""")]
    public void TryReadOne_JsonButNothingTheScannerEmits_ReturnsTrueWithoutMessage(string json)
    {
        Assert.That(JsonRpcFields.TryReadOne(Encoding.UTF8.GetBytes(json), JsonRpcLimits.Default, out var message, out var error), Is.True);
        Assert.That(message, Is.Null);
        Assert.That(error, Is.Null);
    }

    [TestCase("", "not valid JSON")]
    [TestCase("""{"jsonrpc":"2.0",""", "not valid JSON")]
    [TestCase("""{"jsonrpc":"2.0","method":"a"} {}""", "not valid JSON")]
    [TestCase("""{"jsonrpc":"2.0","method":"a"} x""", "not valid JSON")]
    [TestCase("""[{"jsonrpc":"2.0","method":"a"}]""", "one JSON object")]
    [TestCase("\"text\"", "one JSON object")]
    public void TryReadOne_NotOneJsonObject_ReturnsAnError(string json, string expected)
    {
        Assert.That(JsonRpcFields.TryReadOne(Encoding.UTF8.GetBytes(json), JsonRpcLimits.Default, out var message, out var error), Is.False);
        Assert.That(message, Is.Null);
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public void TryReadOne_TrailingWhitespace_IsAccepted()
    {
        Assert.That(JsonRpcFields.TryReadOne(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"a\"}  \r\n\t"), JsonRpcLimits.Default, out var message, out _), Is.True);
        Assert.That(message!.Kind, Is.EqualTo(ObservationKinds.JsonRpcNotification));
    }

    private static string Render(FieldBag fields) => fields.ToString();
}
