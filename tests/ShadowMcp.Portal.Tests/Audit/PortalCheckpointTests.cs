using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>A running portal keys its rows and leaves a signed checkpoint of its head when it shuts down.</summary>
[Category("Integration")]
public sealed class PortalCheckpointTests
{
    [Test]
    public async Task Portal_OnShutdown_WritesCheckpointThatVerifies()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var dir = TempDir.Create();
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Portal.Audit.CheckpointFile = Path.Combine(dir, "checkpoints.log");
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        var portal = await PortalFixture.StartAsync(config, dir);
        var client = await portal.ConnectAsync(portal.CreateToken("dev"));
        await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = "hi" });
        await portal.DisposeAsync();

        var lines = File.ReadAllLines(config.Portal.Audit.CheckpointFile);
        Assert.That(lines, Is.Not.Empty);
        var store = new PortalStore(portal.DbPath);
        using (var db = store.Open())
        {
            Assert.That(db.Audit.Select(a => a.HashKind).Distinct().ToList(), Is.EqualTo(new[] { AuditHasher.Keyed }));
            Assert.That(AuditCheckpoint.Parse(lines[^1])!.Seq, Is.EqualTo(db.Audit.Max(a => a.Seq)));
        }
        Assert.That(AuditVerifier.Verify(store, AuditKeys.ReadOnly(config.Portal.Audit, store.KeyDirectory), lines), Is.Empty);
    }
}
