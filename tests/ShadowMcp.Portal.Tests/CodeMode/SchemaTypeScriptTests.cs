using System.Text.Json;
using ShadowMcp.Portal.CodeMode;

namespace ShadowMcp.Portal.Tests.CodeMode;

public sealed class SchemaTypeScriptTests
{
    private static string Ts(string schema, int maxDepth = 8)
    {
        var root = JsonDocument.Parse(schema).RootElement;
        return new SchemaTypeScript(root, maxDepth).Type(root, 0);
    }

    private static string Flat(string ts) => string.Join(" ", ts.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    [Test]
    public void Type_ObjectWithRequiredAndDescriptions()
    {
        var ts = Ts("""{"type":"object","properties":{"id":{"type":"integer","description":"Issue number"},"title":{"type":"string"}},"required":["id"]}""");
        Assert.That(Flat(ts), Is.EqualTo("{ /** Issue number */ id: number; title?: string; }"));
    }

    [Test]
    public void Type_RefIntoDefs_IsInlined_RecursionStops()
    {
        var ts = Ts("""{"$defs":{"node":{"type":"object","properties":{"next":{"$ref":"#/$defs/node"}}}},"$ref":"#/$defs/node"}""");
        Assert.That(Flat(ts), Is.EqualTo("{ next?: unknown /* recursive */; }"));
    }

    [Test]
    public void Type_UnionsIntersectionsEnumsConst()
    {
        Assert.That(Ts("""{"anyOf":[{"type":"string"},{"type":"number"}]}"""), Is.EqualTo("string | number"));
        Assert.That(Ts("""{"oneOf":[{"const":"a"},{"const":1}]}"""), Is.EqualTo("\"a\" | 1"));
        Assert.That(Ts("""{"enum":["open","closed",null]}"""), Is.EqualTo("\"open\" | \"closed\" | null"));
        Assert.That(Flat(Ts("""{"allOf":[{"type":"object","properties":{"a":{"type":"string"}}},{"type":"object","properties":{"b":{"type":"boolean"}}}]}""")),
            Is.EqualTo("{ a?: string; } & { b?: boolean; }"));
    }

    [Test]
    public void Type_ArraysTuplesNullable()
    {
        Assert.That(Ts("""{"type":"array","items":{"type":["string","null"]}}"""), Is.EqualTo("(string | null)[]"));
        Assert.That(Ts("""{"type":"array","prefixItems":[{"type":"number"},{"type":"string"}]}"""), Is.EqualTo("[number, string]"));
        Assert.That(Ts("""{"type":"array","items":[{"type":"boolean"}]}"""), Is.EqualTo("[boolean]"));
        Assert.That(Ts("""{"type":"string","nullable":true}"""), Is.EqualTo("string | null"));
    }

    [Test]
    public void Type_AdditionalProperties()
    {
        Assert.That(Flat(Ts("""{"type":"object","additionalProperties":{"type":"integer"}}""")), Is.EqualTo("{ [key: string]: number; }"));
        Assert.That(Ts("""{"type":"object","additionalProperties":false}"""), Is.EqualTo("{}"));
        Assert.That(Ts("""{"type":"object"}"""), Is.EqualTo("Record<string, unknown>"));
        Assert.That(Flat(Ts("""{"type":"object","properties":{"odd-name":{"type":"string"}}}""")), Is.EqualTo("{ \"odd-name\"?: string; }"));
    }

    [Test]
    public void Type_DepthLimit_EndsInUnknown()
    {
        var deep = "{\"type\":\"string\"}";
        for (var i = 0; i < 20; i++) deep = $"{{\"type\":\"array\",\"items\":{deep}}}";
        var ts = Ts(deep, maxDepth: 4);
        Assert.That(ts, Is.EqualTo("unknown[][][][][]"), "depths 0 to 4 are written, depth 5 is unknown");
    }

    [Test]
    public void Declaration_CommentCannotBreakOut()
    {
        var schema = JsonDocument.Parse("""{"type":"object"}""").RootElement;
        var ts = SchemaTypeScript.Declaration("x", "evil */ declare const y: 1; /*", schema, null);
        Assert.That(ts, Does.Not.Contain("evil */"));
        Assert.That(ts, Does.Contain("function x(args: Record<string, unknown>): Promise<unknown>;"));
    }
}
