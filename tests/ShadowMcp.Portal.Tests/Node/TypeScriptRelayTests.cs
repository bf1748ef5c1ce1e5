using System.Text.Json;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Node;

/// <summary>The official TypeScript client gets an upstream's progress and questions through the portal.</summary>
public sealed class TypeScriptRelayTests
{
    [Test]
    public async Task TypeScriptClient_SeesUpstreamProgress_AndAnswersItsQuestion()
    {
        await using var upstream = await UpstreamServer.StartAsync([.. UpstreamServer.DefaultTools(), .. UpstreamServer.RelayTools()]);
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);

        var (code, stdout, stderr) = await NodeScripts.RunAsync("relay-client.mjs", TimeSpan.FromSeconds(60),
            portal.McpUrl, portal.CreateToken("dev"), "alpha_progress", "alpha_ask", "amber");

        Assert.That(code, Is.Zero, stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("progress").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "step 1", "step 2", "step 3" }));
        Assert.That(root.GetProperty("progressText").GetString(), Is.EqualTo("progress done"));
        Assert.That(root.GetProperty("asked").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "Which colour should the fixture use?" }));
        Assert.That(root.GetProperty("askText").GetString(), Is.EqualTo("answer: accept amber"));
    }
}
