using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Node;

/// <summary>
/// The official conformance suite (npm @modelcontextprotocol/conformance, `server --url`) against the portal
/// fronting a fixture upstream. Scenarios that do not apply to this proxy are listed, with reasons, in
/// node/conformance-baseline.yml; every other active scenario must pass.
/// </summary>
public sealed class ConformanceSuiteTests
{
    [Test]
    public async Task ConformanceServerSuite_PassesEveryApplicableScenario()
    {
        await using var upstream = await ConformanceUpstream.StartAsync();
        var config = PortalFixture.Config1(("fixture", upstream.McpUrl));
        config.Upstreams[0].Unprefixed = true;
        config.Upstreams[0].Pinning = "off";
        config.Upstreams[0].Dlp = new DlpSettings { Arguments = "log", Results = "log" };
        config.Groups["conformance"] = new GroupConfig { Servers = { ["fixture"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config);
        await using var forwarder = await AuthForwarder.StartAsync(portal.BaseUrl, portal.CreateToken("conformance"));

        var (code, stdout, stderr) = await NodeScripts.RunAsync("--import", TimeSpan.FromMinutes(5),
            "./node22-shim.mjs", "node_modules/@modelcontextprotocol/conformance/dist/index.js", "server",
            "--url", $"http://localhost:{forwarder.Port}/mcp", "--expected-failures", "conformance-baseline.yml");
        TestContext.Out.WriteLine(stdout);
        Assert.That(code, Is.Zero, stdout + stderr);
        Assert.That(stdout, Does.Contain("Baseline check passed"));
    }
}
