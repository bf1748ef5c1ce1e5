using ShadowMcp.Classifier.Loading;

namespace ShadowMcp.Classifier.Tests;

public sealed class LintTests
{
    private const string Good = """
        id: good-rule
        title: Good
        level: high
        observation: http.request
        detection:
          sel:
            method: POST
          condition: sel
        evidence:
          weight: 0.5
          strength: weak
        tests:
          match:
            - method: POST
          no_match:
            - method: GET
        """;

    private static List<string> Lint(string text) =>
        RuleLinter.LintText("r.yaml", text).Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList();

    [Test]
    public void Lint_GoodRule_NoDiagnostics() =>
        Assert.That(RuleLinter.LintText("r.yaml", Good).Diagnostics, Is.Empty);

    [TestCase("level: high", "level: severe", "r.yaml:3:8: error: bad level 'severe'")]
    [TestCase("title: Good\n", "title: Good\nauthr: me\n", "r.yaml:3:1: error: unknown key 'authr'")]
    [TestCase("    method: POST", "    method|contians: POST", "r.yaml:7:12: error: unknown modifier 'contians'")]
    [TestCase("    method: POST", "    method|re: '(unclosed'", "r.yaml:7:16: error: bad regex '(unclosed'")]
    [TestCase("    method: POST", "    flow.server|cidr: 10.0.0.0/33", "r.yaml:7:23: error: bad cidr '10.0.0.0/33'")]
    [TestCase("  condition: sel", "  condition: sel and filter", "r.yaml:8:22: error: condition: unknown selection 'filter'")]
    [TestCase("  condition: sel", "  condition: sel and (sel or", "r.yaml:8:29: error: condition: expected a selection name")]
    [TestCase("  condition: sel", "  condition: 'sel sel'", "r.yaml:8:19: error: condition: unexpected 'sel'")]
    [TestCase("observation: http.request", "observation: smtp", "r.yaml:4:14: error: unknown observation kind 'smtp'")]
    [TestCase("  weight: 0.5", "  weight: 1.5", "r.yaml:10:11: error: weight 1.5 is out of range 0..1")]
    [TestCase("  strength: weak", "  strength: huge", "r.yaml:11:13: error: bad strength 'huge'")]
    [TestCase("id: good-rule\n", "", "r.yaml:1:1: error: missing 'id'")]
    [TestCase("level: high\n", "", "r.yaml:1:1: error: missing 'level'")]
    [TestCase("title: Good\n", "", "r.yaml:1:1: error: missing 'title'")]
    [TestCase("id: good-rule", "id: Good_Rule", "r.yaml:1:5: error: id 'Good_Rule' must be kebab-case")]
    [TestCase("    method: POST", "    mehtod: POST", "r.yaml:7:5: error: rule 'good-rule': unknown field 'mehtod' for observation 'http.request' (did you mean 'method'?)")]
    [TestCase("    method: POST", "    header.mcp-sesion-id|exists: true", "r.yaml:7:5: error: rule 'good-rule': unknown field 'header.mcp-sesion-id' for observation 'http.request' (did you mean 'header.mcp-session-id'?)")]
    [TestCase("    method: POST", "    header.www-authenticate: Bearer", "r.yaml:7:5: error: rule 'good-rule': unknown field 'header.www-authenticate' for observation 'http.request'")]
    [TestCase("    method: POST", "    flow.serverport: '443'", "r.yaml:7:5: error: rule 'good-rule': unknown field 'flow.serverport' for observation 'http.request' (did you mean 'flow.server_port'?)")]
    [TestCase("    method: POST", "    params.name: x", "r.yaml:7:5: error: rule 'good-rule': unknown field 'params.name' for observation 'http.request'")]
    [TestCase("  strength: weak", "  strength: weak\n  records:\n    tool: body.lenght", "r.yaml:13:11: error: rule 'good-rule': unknown field 'body.lenght' for observation 'http.request' (did you mean 'body.length'?)")]
    [TestCase("    - method: POST", "    - '{not json'", "r.yaml:14:7: error: a string example is a JSON-RPC message")]
    public void Lint_BrokenRule_ReportsExactPosition(string find, string replace, string expectedPrefix)
    {
        var broken = Good.Replace(find, replace, StringComparison.Ordinal);
        Assert.That(broken, Is.Not.EqualTo(Good));
        var errors = Lint(broken);
        Assert.That(errors, Has.Some.StartsWith(expectedPrefix), string.Join("\n", errors));
    }

    [TestCase("jsonrpc", "request.method")]
    [TestCase("jsonrpc", "params.clientInfo.name")]
    [TestCase("jsonrpc.response", "result.tools[].inputSchema")]
    [TestCase("http", "request.header.mcp-session-id")]
    [TestCase("sse.event", "flow.client")]
    public void Lint_FieldOfACoveredKind_IsAccepted(string kind, string field)
    {
        var rule = Good.Replace("observation: http.request", "observation: " + kind, StringComparison.Ordinal)
            .Replace("    method: POST", $"    {field}|exists: true", StringComparison.Ordinal)
            .Replace("tests:\n  match:\n    - method: POST\n  no_match:\n    - method: GET\n", "", StringComparison.Ordinal);
        Assert.That(Lint(rule), Has.None.Contains("unknown field"));
    }

    [Test]
    public void Lint_YamlSyntaxError_ReportsPositionAndNeverThrows()
    {
        var errors = Lint("id: x\ntitle: [unclosed\nlevel: high\n");
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Match(@"^r\.yaml:\d+:\d+: error: YAML syntax error: "));
    }

    [Test]
    public void Lint_TabIndentedGarbage_IsADiagnostic()
    {
        Assert.That(Lint("id: x\n\t- : :\n  ]]]"), Is.Not.Empty);
    }

    [Test]
    public void Lint_DuplicateIdAcrossFiles_PointsAtTheSecondId()
    {
        var result = RuleLinter.LintTexts([("a.yaml", Good), ("b.yaml", "# copy\n" + Good)]);
        var errors = result.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList();
        Assert.That(errors, Is.EqualTo(new[] { "b.yaml:2:5: error: duplicate id 'good-rule' (first defined at a.yaml:1:5)" }));
        Assert.That(result.Rules, Has.Count.EqualTo(1));
    }

    [Test]
    public void Lint_JsonRpcExampleNotJson_ReportsExamplePosition()
    {
        var text = Good.Replace("observation: http.request", "observation: jsonrpc.request", StringComparison.Ordinal)
            .Replace("    - method: POST", "    - '{\"jsonrpc\":'", StringComparison.Ordinal);
        Assert.That(Lint(text), Has.Some.StartsWith("r.yaml:14:7: error: example: not valid JSON"));
    }

    [Test]
    public void Lint_WarningOnly_RuleStillLoads()
    {
        var text = Good[..Good.IndexOf("tests:", StringComparison.Ordinal)];
        var result = RuleLinter.LintText("r.yaml", text);
        Assert.That(result.HasErrors, Is.False);
        Assert.That(result.Diagnostics.Select(d => d.ToString()), Has.Some.EqualTo("r.yaml:1:1: warning: the rule has no tests (match/no_match)"));
        Assert.That(result.Rules, Has.Count.EqualTo(1));
    }

    [Test]
    public void Create_DirectoryWithBrokenRule_ThrowsRuleLoadExceptionWithDiagnostics()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-rules-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "good.yaml"), Good);
            File.WriteAllText(Path.Combine(dir.FullName, "bad.yaml"), Good.Replace("good-rule", "bad-rule", StringComparison.Ordinal).Replace("level: high", "level: severe", StringComparison.Ordinal));

            var ex = Assert.Throws<RuleLoadException>(() => McpClassifier.Create(dir.FullName));

            Assert.That(ex!.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()),
                Has.Some.EndsWith("bad.yaml:3:8: error: bad level 'severe' (expected one of: informational, low, medium, high, critical)"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void LintDirectory_Missing_IsAnErrorNotAnException()
    {
        var result = RuleLinter.LintDirectory("/nonexistent/rules-dir");
        Assert.That(result.HasErrors, Is.True);
        Assert.That(result.Diagnostics[0].Message, Does.Contain("not found"));
    }
}
