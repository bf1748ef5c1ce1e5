using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Policy;

/// <summary>Groups x tools: tools/list shows exactly what tools/call admits.</summary>
[Category("Integration")]
public sealed class PolicyMatrixTests
{
    private UpstreamServer _alpha = null!;
    private UpstreamServer _beta = null!;
    private PortalFixture _portal = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        _beta = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl), ("beta", _beta.McpUrl));
        config.Upstreams[1].Tools.Read.Add("delete_item"); // listed as read despite no annotation
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"], ["beta"] = ["echo"] } };
        config.Groups["readers"] = new GroupConfig { ReadOnly = true, Servers = { ["alpha"] = ["*"], ["beta"] = ["*"] } };
        config.Groups["narrow"] = new GroupConfig { Servers = { ["alpha"] = ["ec*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
        await _beta.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> Matrix()
    {
        (string Group, string Tool, bool Allowed)[] cases =
        [
            ("dev", "alpha_echo", true), ("dev", "alpha_delete_item", true), ("dev", "beta_echo", true), ("dev", "beta_delete_item", false),
            ("readers", "alpha_echo", true), ("readers", "alpha_delete_item", false), ("readers", "beta_delete_item", true),
            ("narrow", "alpha_echo", true), ("narrow", "alpha_delete_item", false), ("narrow", "beta_echo", false),
            ("nobody", "alpha_echo", false),
        ];
        foreach (var (g, t, a) in cases)
            yield return new TestCaseData(g, t, a).SetName($"CallTool_{g}_{t}_{(a ? "Allowed" : "Denied")}");
    }

    [TestCaseSource(nameof(Matrix))]
    public async Task CallTool_MatchesPolicyAndList(string group, string tool, bool allowed)
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken(group));
        var listed = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.That(listed.Contains(tool), Is.EqualTo(allowed), "tools/list visibility");
        if (allowed)
        {
            var result = await client.CallToolAsync(tool, new Dictionary<string, object?> { ["text"] = "x" });
            Assert.That(result.IsError, Is.Not.True);
        }
        else
        {
            var e = Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync(tool, new Dictionary<string, object?> { ["text"] = "x" }));
            Assert.That((int)e!.ErrorCode, Is.EqualTo(PortalErrors.PolicyDenied));
        }
    }

    [Test]
    public async Task CallTool_Denied_IsAuditedWithDecision()
    {
        var client = await _portal.ConnectAsync(_portal.CreateToken("narrow"));
        Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("alpha_delete_item", new Dictionary<string, object?> { ["text"] = "1" }));
        await _portal.FlushAuditAsync();
        using var db = _portal.Store.Open();
        var row = db.Audit.Where(a => a.Tool == "alpha_delete_item" && a.Outcome == "denied").OrderByDescending(a => a.Seq).First();
        Assert.That(row.Group, Is.EqualTo("narrow"));
        Assert.That(row.ClientName, Is.EqualTo("portal-tests"));
        Assert.That(row.ClientVersion, Is.EqualTo("9.9.9"));
        Assert.That(row.Decision, Does.Contain("no group"));
        Assert.That(row.ArgumentHash, Has.Length.EqualTo(64));
        Assert.That(row.Arguments, Is.Null);
    }
}
