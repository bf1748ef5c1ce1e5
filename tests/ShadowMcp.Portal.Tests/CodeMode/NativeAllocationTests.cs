using ModelContextProtocol.Client;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// One native operation that allocates far past the sandbox's memory (issue 11: <c>'x'.repeat(…)</c> ran 79 s and
/// took a GB). The deadline here is long on purpose: only the memory limit may end these scripts, so a loaded machine
/// cannot turn the test into a timeout test.
/// </summary>
[Category("Integration")]
public sealed class NativeAllocationTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;
    private McpClient _code = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.CodeMode.WorkerNice = 0;
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.CodeMode.TimeoutSeconds = 120;
        config.CodeMode.MemoryBytes = 64L * 1024 * 1024;
        _portal = await PortalFixture.StartAsync(config);
        _code = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _code.DisposeAsync();
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    [TestCase("async () => 'x'.repeat(100 * 1024 * 1024)")]
    [TestCase("async () => 'x'.repeat(2 ** 29 - 32)")]
    [TestCase("async () => new Array(2 ** 26).fill(0).join(',')")]
    public async Task HugeNativeAllocation_EndsInTheMemoryLimit(string code)
    {
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var result = await _code.ExecuteAsync(code, hangGuard.Token);
        Assert.That(result.IsError, Is.True, result.Text());
        Assert.That(result.Text(), Does.Contain("memory limit").Or.Contain("larger than"));
        Assert.That(result.Text(), Does.Not.Contain("timed out"));
    }
}
