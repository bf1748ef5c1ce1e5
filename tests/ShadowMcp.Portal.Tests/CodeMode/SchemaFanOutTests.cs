using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// A small input schema whose definitions each refer to the next several times. Every use of a $ref was expanded,
/// so the TypeScript grew as refs^depth inside the portal: 12 refs over 8 levels (a 3 KB schema) is 12^7 lines,
/// gigabytes from one declarations() call. The writer now stops at a budget and says so.
/// </summary>
[Category("Integration")]
public sealed class SchemaFanOutTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;
    private McpClient _client = null!;

    /// <summary>levels definitions; each has <paramref name="refs"/> properties that all refer to the next one.</summary>
    internal static JsonElement FanOut(int levels, int refs)
    {
        var defs = new Dictionary<string, object>();
        for (var level = 0; level < levels; level++)
        {
            var last = level == levels - 1;
            var properties = Enumerable.Range(0, refs).ToDictionary(i => $"p{i}",
                _ => last ? (object)new { type = "string" } : new Dictionary<string, string> { ["$ref"] = $"#/$defs/l{level + 1}" });
            defs[$"l{level}"] = new { type = "object", properties };
        }
        return JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["type"] = "object", ["$ref"] = "#/$defs/l0", ["$defs"] = defs });
    }

    [OneTimeSetUp]
    public async Task SetUp()
    {
        // 5 refs keep the unbounded writer's output to a few MB, so this test also runs (and fails) without the budget.
        var bomb = new Tool { Name = "bomb", Description = "A tool with a fanning schema", InputSchema = FanOut(levels: 8, refs: 5) };
        _alpha = await UpstreamServer.StartAsync([UpstreamServer.MakeTool("echo", "Echo the text back", readOnly: true), bomb]);
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.CodeMode.WorkerNice = 0; // CI shares its cores with other test runs; bench/codemode measures priority
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
        _client = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _client.DisposeAsync();
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    [Test]
    public async Task Declarations_OfAFanningSchema_StayWithinTheBudget_AndSaySo()
    {
        var result = await _client.SearchAsync(
            "async () => { const d = codemode.declarations(['alpha_bomb']); return { length: d.length, marked: d.includes('too large to declare') }; }");
        var json = result.Json();
        Assert.That(json.GetProperty("length").GetInt32(), Is.LessThan(SchemaTypeScriptBudget));
        Assert.That(json.GetProperty("marked").GetBoolean(), Is.True);
        var echo = await _client.SearchAsync("async () => codemode.declarations(['alpha_echo'])");
        Assert.That(echo.Json().GetString(), Does.Contain("function alpha_echo(args: {").And.Not.Contain("too large"));
    }

    [Test]
    public void Declaration_FanningSchema_EndsWithinTheBudget()
    {
        // 5 refs: a few MB without the budget, so the test fails rather than exhausts the machine there. 12 refs
        // (the attack) end at the same budget.
        var ts = SchemaTypeScript.Declaration("bomb", null, FanOut(levels: 8, refs: 5), null);
        Assert.That(ts.Length, Is.LessThan(SchemaTypeScriptBudget));
        Assert.That(ts, Does.Contain("too large to declare"));
    }

    [Test]
    public void SearchAskingAgainAndAgain_RendersEachSchemaOnce()
    {
        // A search may ask for the same declarations and the catalog up to maxSearchCalls (100) times, and the
        // portal answers at full priority: a fanning schema cost its 256 K budget of rendering on every answer.
        var tool = new ModelContextProtocol.Protocol.Tool { Name = "alpha_bomb", InputSchema = FanOut(levels: 8, refs: 12) };
        var catalog = new CodeModeCatalog([(tool, "alpha")]);
        var first = catalog.Declarations("[\"alpha_bomb\"]");
        var tools = catalog.ToolsJson();
        for (var i = 0; i < 5; i++)
        {
            Assert.That(catalog.Declarations("[\"alpha_bomb\", \"nope\"]"), Does.StartWith(first[..^2]));
            Assert.That(catalog.ToolsJson(), Is.EqualTo(tools));
        }
        Assert.That(catalog.Renders, Is.EqualTo(2), "one declaration and one catalog listing");
    }

    /// <summary>The writer's budget (SchemaTypeScript.MaxChars), spelled out so the test compiles without it.</summary>
    private const int SchemaTypeScriptBudget = 256 * 1024;
}
