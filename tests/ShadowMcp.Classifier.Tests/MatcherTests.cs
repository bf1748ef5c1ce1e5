using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

public sealed class MatcherTests
{
    private static Rule Compile(string detection, string observation = "http.request") => OneRule.Compile(detection, observation);

    private static Observation Request(params (string Key, string Value)[] fields)
    {
        var bag = new FieldBag();
        foreach (var (k, v) in fields) bag.Add(k, v);
        return new Observation { Kind = ObservationKinds.HttpRequest, Flow = new FlowRef("10.1.2.3", 40000, "192.168.1.20", 8080, "tcp"), Time = Obs.T0, Fields = bag };
    }

    [TestCase("host: MCP.Example.com", "mcp.example.com", true)]
    [TestCase("host|cased: MCP.Example.com", "mcp.example.com", false)]
    [TestCase("host|contains: EXAMPLE", "mcp.example.com", true)]
    [TestCase("host|startswith: mcp.", "mcp.example.com", true)]
    [TestCase("host|startswith: example", "mcp.example.com", false)]
    [TestCase("host|endswith: .COM", "mcp.example.com", true)]
    [TestCase("host|re: '^mcp\\.'", "mcp.example.com", true)]
    [TestCase("host|re: '^MCP\\.'", "mcp.example.com", false)]
    [TestCase("host|re: '(?i)^MCP\\.'", "mcp.example.com", true)]
    [TestCase("host|regex: 'example\\.com$'", "mcp.example.com", true)]
    [TestCase("host: [a.example, mcp.example.com]", "mcp.example.com", true)]
    [TestCase("host|contains|all: [mcp, example]", "mcp.example.com", true)]
    [TestCase("host|contains|all: [mcp, other]", "mcp.example.com", false)]
    [TestCase("host|exists: true", "mcp.example.com", true)]
    [TestCase("host|exists: false", "mcp.example.com", false)]
    [TestCase("query|exists: false", "mcp.example.com", true)]
    [TestCase("query: null", "mcp.example.com", true)]
    [TestCase("host: null", "mcp.example.com", false)]
    [TestCase("host: [a.example, MCP.EXAMPLE.COM, b.example]", "mcp.example.com", true)]
    [TestCase("host|cased: [a.example, MCP.EXAMPLE.COM, b.example]", "mcp.example.com", false)]
    [TestCase("host|cased: [a.example, mcp.example.com]", "mcp.example.com", true)]
    [TestCase("host: [a.example, b.example]", "mcp.example.com", false)]
    [TestCase("host: [a.example, null]", "mcp.example.com", false)]
    [TestCase("host|contains: [other, EXAMPLE.c]", "mcp.example.com", true)]
    [TestCase("host|contains|cased: [other, EXAMPLE.c]", "mcp.example.com", false)]
    [TestCase("host|contains: [other, nothing]", "mcp.example.com", false)]
    [TestCase("host|contains: [other, '']", "mcp.example.com", true)]
    public void Selection_Modifier_MatchesAsDocumented(string entry, string host, bool expected)
    {
        var rule = Compile($"s:\n  {entry}\ncondition: s");
        Assert.That(rule.Matches(Request(("host", host))), Is.EqualTo(expected));
    }

    [TestCase("query: [a.example, null]", "mcp.example.com", true)]
    [TestCase("query|all: [null, null]", "mcp.example.com", true)]
    [TestCase("query|contains: [a, b]", "mcp.example.com", false)]
    public void Selection_AbsentField_MatchesOnlyListedNull(string entry, string host, bool expected)
    {
        var rule = Compile($"s:\n  {entry}\ncondition: s");
        Assert.That(rule.Matches(Request(("host", host))), Is.EqualTo(expected));
    }

    [Test]
    public void Field_AllModifierOverRepeatedPath_NeedsEveryListedValue()
    {
        var rule = Compile("s:\n  header.accept|all: [application/json, text/event-stream]\ncondition: s");
        Assert.That(rule.Matches(Request(("header.accept", "application/json"), ("header.accept", "text/event-stream"))), Is.True);
        Assert.That(rule.Matches(Request(("header.accept", "application/json"))), Is.False);
    }

    [TestCase("flow.server|cidr: 192.168.0.0/16", true)]
    [TestCase("flow.server|cidr: 10.0.0.0/8", false)]
    [TestCase("flow.client|cidr: [172.16.0.0/12, 10.0.0.0/8]", true)]
    [TestCase("flow.server_port: 8080", true)]
    [TestCase("flow.client_port: 40000", true)]
    [TestCase("flow.protocol: tcp", true)]
    public void Selection_VirtualFlowFields_ComeFromTheFlow(string entry, bool expected)
    {
        var rule = Compile($"s:\n  {entry}\ncondition: s");
        Assert.That(rule.Matches(Request(("host", "x"))), Is.EqualTo(expected));
    }

    [Test]
    public void Cidr_Ipv6Network_MatchesIpv6Field()
    {
        var rule = Compile("s:\n  host|cidr: 'fd00::/8'\ncondition: s");
        Assert.That(rule.Matches(Request(("host", "fd00::5"))), Is.True);
        Assert.That(rule.Matches(Request(("host", "2001:db8::1"))), Is.False);
        Assert.That(rule.Matches(Request(("host", "not-an-ip"))), Is.False);
    }

    [Test]
    public void Field_RepeatedPath_AnyValueMatches()
    {
        var rule = Compile("s:\n  header.accept: text/event-stream\ncondition: s");
        Assert.That(rule.Matches(Request(("header.accept", "application/json"), ("header.accept", "text/event-stream"))), Is.True);
    }

    [Test]
    public void Selection_ListOfMaps_AnyMapMatches()
    {
        var rule = Compile("s:\n  - method: 1\n    path: 2\n  - host: 3\ncondition: s");
        Assert.That(rule.Matches(Request(("method", "1"), ("path", "2"))), Is.True);
        Assert.That(rule.Matches(Request(("method", "1"))), Is.False);
        Assert.That(rule.Matches(Request(("host", "3"))), Is.True);
    }

    [TestCase("a or b and c", "a", true)]
    [TestCase("a or b and c", "b", false)]
    [TestCase("(a or b) and c", "a", false)]
    [TestCase("(a or b) and c", "a c", true)]
    [TestCase("not a and b", "b", true)]
    [TestCase("not a and b", "a b", false)]
    [TestCase("not (a or b)", "c", true)]
    [TestCase("1 of sel*", "b", false)]
    [TestCase("1 of sel*", "sel_y", true)]
    [TestCase("all of sel*", "sel_x sel_y", true)]
    [TestCase("all of sel*", "sel_x", false)]
    [TestCase("1 of them", "c", true)]
    [TestCase("all of them", "a b c sel_x sel_y", true)]
    [TestCase("a and not 1 of sel*", "a", true)]
    [TestCase("a and not 1 of sel*", "a sel_x", false)]
    public void Condition_Grammar_EvaluatesWithPrecedence(string condition, string present, bool expected)
    {
        // Each selection tests its own catalogued field, so "present" names the selections whose field is set.
        var fieldOf = new Dictionary<string, string> { ["a"] = "method", ["b"] = "path", ["c"] = "host", ["sel_x"] = "query", ["sel_y"] = "target" };
        var rule = Compile(string.Concat(fieldOf.Select(kv => $"{kv.Key}: {{ {kv.Value}: x }}\n")) + $"condition: {condition}");
        var fields = present.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => (fieldOf[p], "x")).ToArray();
        Assert.That(rule.Matches(Request(fields)), Is.EqualTo(expected));
    }

    [Test]
    public void Rule_FamilyObservation_MatchesEveryKindInIt()
    {
        var rule = Compile("s:\n  method: tools/list\ncondition: s", observation: "jsonrpc");
        var request = new Observation { Kind = ObservationKinds.JsonRpcRequest, Flow = new FlowRef("a", 1, "b", 2, "tcp"), Time = Obs.T0, Fields = new FieldBag().Add("method", "tools/list") };
        var http = new Observation { Kind = ObservationKinds.HttpRequest, Flow = request.Flow, Time = Obs.T0, Fields = request.Fields };
        Assert.That(rule.Matches(request), Is.True);
        Assert.That(rule.Matches(http), Is.False);
    }

    [Test]
    public void ExampleMessage_McpInitialize_ProducesScannerStylePaths()
    {
        Assert.That(ExampleBuilder.TryReadMessage("""{"jsonrpc":"2.0","id":7,"result":{"tools":[{"name":"a","inputSchema":{}}],"supportedVersions":["2026-07-28"]}}""", out var kind, out var fields, out _), Is.True);
        Assert.That(kind, Is.EqualTo(ObservationKinds.JsonRpcResponse));
        Assert.That(fields.Get("id"), Is.EqualTo("7"));
        Assert.That(fields.Get("result.tools"), Is.EqualTo("[]"));
        Assert.That(fields.Get("result.tools[].name"), Is.EqualTo("a"));
        Assert.That(fields.Get("result.tools[].inputSchema"), Is.EqualTo("{}"));
        Assert.That(fields.Get("result.supportedVersions[]"), Is.EqualTo("2026-07-28"));
    }
}
