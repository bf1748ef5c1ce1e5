using System.Text;
using ShadowMcp.Classifier.Loading;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.JsonRpc;

/// <summary>
/// A rule example written as a JSON-RPC message must give exactly the observation the Scanner emits for that
/// message on the wire: same kind (or none), same fields in the same order. Each message goes through both real
/// paths: an HTTP POST body fed to the Scanner's analyzer, and a <c>tests.no_match</c> entry of a linted rule.
/// </summary>
public class RuleExampleParityTests
{
    private static readonly string Deep = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"deep\",\"params\":"
        + string.Concat(Enumerable.Repeat("{\"a\":[", 50)) + "1" + string.Concat(Enumerable.Repeat("]}", 50)) + "}";

    private static readonly string ManyFields = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"items\":["
        + string.Join(",", Enumerable.Range(0, 300).Select(i => $"{{\"n\":{i},\"o\":{{\"k\":\"v{i}\"}}}}")) + "]}}";

    private static readonly string[] Messages =
    [
        Http.HttpSamples.InitializeBody,
        Http.HttpSamples.InitializeResult,
        """{"jsonrpc":"2.0","id":"t","result":{"tools":[{"name":"a","inputSchema":{"type":"object","properties":{}}},{"name":"b"}],"nextCursor":null}}""",
        """{"jsonrpc":"2.0","id":"e","error":{"code":-32601,"message":"Method not found","data":[1,2.5e3,true,false,null]}}""",
        """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
        """{"jsonrpc":"2.0","id":null,"method":"notifications/progress","params":{"progress":0.5}}""",
        // Member order: the Scanner always gives jsonrpc, method, id first.
        """{"id":5,"params":[1,"two"],"method":"m","jsonrpc":"2.0"}""",
        // Members other than params/result/error are not observed.
        """{"jsonrpc":"2.0","id":1,"method":"x","extra":{"a":1},"foo":"bar"}""",
        // Neither method nor result nor error: the Scanner emits nothing.
        """{"jsonrpc":"2.0","id":1}""",
        // A method that is not a string does not make a request.
        """{"jsonrpc":"2.0","id":1,"method":7,"result":1}""",
        // An id that is neither string nor number is no id.
        """{"jsonrpc":"2.0","id":true,"method":"ping"}""",
        """{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}""",
        // Duplicate members: the last method wins, params are flattened twice.
        """{"jsonrpc":"2.0","method":"a","method":"b","id":1,"params":{"p":1},"params":{"q":2}}""",
        // Not JSON-RPC 2.0.
        """{"jsonrpc":"1.0","id":1,"method":"x"}""",
        """{"id":1,"method":"x","params":{}}""",
        // Escapes in names and values, non-ASCII text.
        """{"jsonrpc":"2.0","id":"\u0031","method":"caf\u00e9","params":{"n\u0061me":"l\u00f6sung \"q\" \\ \/ \n","emoji":"😀 ok","lone":"\ud800x"}}""",
        // Depth: params.a.b.c.d.e is the deepest path; deeper containers keep only their marker.
        """{"jsonrpc":"2.0","id":1,"method":"d","params":{"a":{"b":{"c":{"d":{"e":{"f":{"g":1}},"e2":[[1]]}}}}}}""",
        Deep,
        ManyFields,
        // Cuts: strings and numbers at 512 chars (not inside a surrogate pair), member names at 128.
        "{\"jsonrpc\":\"2.0\",\"id\":" + new string('9', 600) + ",\"method\":\"" + new string('m', 700) + "\",\"params\":{\"s\":\""
            + new string('x', 511) + "😀tail\",\"" + new string('k', 200) + "\":" + new string('1', 600) + "}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"esc\",\"params\":{\"s\":\"" + string.Concat(Enumerable.Repeat("\\u00e9", 600)) + "\"}}",
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Messages.Select((m, i) => new TestCaseData(i).SetName($"SameFields_Message{i:00}"));

    [TestCaseSource(nameof(Cases))]
    public void RuleExample_SameMessageAsOnTheWire_GivesTheScannersFields(int index)
    {
        var message = Messages[index];
        var wire = ScannerObservation(message);
        var example = ExampleObservation(message);

        Assert.That(example?.Kind, Is.EqualTo(wire?.Kind), message);
        Assert.That(example is null ? null : Lines(example.Fields), Is.EqualTo(wire is null ? null : Lines(MessageFields(wire.Fields))), message);
    }

    [Test]
    public void Messages_CoverTheLimits()
    {
        // Guards the corpus itself: the cases above must keep exercising the bounds they claim to.
        var many = ScannerObservation(ManyFields)!;
        var deep = ScannerObservation(Deep)!;
        Assert.Multiple(() =>
        {
            Assert.That(MessageFields(many.Fields).Count(), Is.EqualTo(2 + 256)); // jsonrpc, id, then the member budget
            Assert.That(deep.Fields.Has("params.a[].a[].a"), Is.True);
            Assert.That(deep.Fields.Has("params.a[].a[].a[]"), Is.False);
            Assert.That(ExampleObservation(Messages[8]), Is.Null);
        });
    }

    /// <summary>The jsonrpc.* observation the Scanner emits for a POST carrying <paramref name="json"/>, or null.</summary>
    private static Observation? ScannerObservation(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var head = Encoding.ASCII.GetBytes(
            $"POST /mcp HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        var h = new StreamHarness().Run([Segment.Client([.. head, .. body])]);
        Assert.That(h.Kinds[0], Is.EqualTo(ObservationKinds.HttpRequest));
        return h.Observations.Where(o => o.Kind.StartsWith("jsonrpc.", StringComparison.Ordinal)).SingleOrDefault();
    }

    /// <summary>The observation of the message as the only example of a linted rule (null: the example observes nothing).</summary>
    private static Observation? ExampleObservation(string json)
    {
        var yaml = $"""
            id: parity
            title: parity
            status: test
            level: low
            description: parity
            observation: jsonrpc
            detection:
              s:
                method: never
              condition: s
            evidence:
              weight: 0.1
              strength: context
            tests:
              no_match:
                - '{json.Replace("'", "''", StringComparison.Ordinal)}'
            """;
        var lint = RuleLinter.LintText("parity.yaml", yaml);
        Assert.That(lint.HasErrors, Is.False, () => string.Join("\n", lint.Diagnostics));
        return lint.Rules.Single().Examples.Single().Observation;
    }

    /// <summary>Drops what the carrier adds (docs/observations.md): only the message's own fields remain.</summary>
    private static IEnumerable<KeyValuePair<string, string>> MessageFields(FieldBag fields) =>
        fields.Where(kv => kv.Key is not ("carrier" or "batch" or "request.method") && !kv.Key.StartsWith("http.", StringComparison.Ordinal));

    private static List<string> Lines(IEnumerable<KeyValuePair<string, string>> fields) => fields.Select(kv => kv.Key + "=" + kv.Value).ToList();
}
