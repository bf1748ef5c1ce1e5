using System.Text.Json;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.CodeMode;

namespace ShadowMcp.Portal.Tests.CodeMode;

public sealed class ToolResultUnwrapperTests
{
    private static JsonElement Envelope(CallToolResult r) => JsonDocument.Parse(ToolResultUnwrapper.ToEnvelope(r)).RootElement;

    [Test]
    public void ToEnvelope_StructuredContent_WinsOverText()
    {
        var r = new CallToolResult { Content = [new TextContentBlock { Text = "ignored" }], StructuredContent = JsonSerializer.SerializeToElement(new { n = 3 }) };
        Assert.That(Envelope(r).GetProperty("value").GetProperty("n").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public void ToEnvelope_JsonText_IsParsed_PlainTextIsKept()
    {
        Assert.That(Envelope(new CallToolResult { Content = [new TextContentBlock { Text = "[1,2]" }] }).GetProperty("value").GetArrayLength(), Is.EqualTo(2));
        Assert.That(Envelope(new CallToolResult { Content = [new TextContentBlock { Text = "{not json" }] }).GetProperty("value").GetString(), Is.EqualTo("{not json"));
        Assert.That(Envelope(new CallToolResult { Content = [new TextContentBlock { Text = "hello" }] }).GetProperty("value").GetString(), Is.EqualTo("hello"));
    }

    [Test]
    public void ToEnvelope_IsError_CarriesUpstreamMessage()
    {
        var r = new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "rate limited" }] };
        Assert.That(Envelope(r).GetProperty("error").GetString(), Is.EqualTo("rate limited"));
    }
}
