using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// The audit store on a real PostgreSQL goes away (connections to its database forbidden, the writer's connection
/// ended) and comes back: rows queued meanwhile are written once it is back, in order, nothing twice; calls made
/// meanwhile are refused with a clear error (default deny) and counted; `audit verify` finds the chain intact.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PostgresAuditOutageTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)3, 32)];

    [Test]
    public async Task StoreDownThenBack_QueuedRowsAreWrittenInOrderOnce()
    {
        var store = new PortalStore(LocalPostgres.CreateDatabase("auditoutage"));
        await using (var log = new AuditLog(store, TimeProvider.System, Key, "a"))
        {
            await log.AppendAsync(AuditRows.Record("user0"));
            await AuditOutage.StartAsync(store);
            var kept = Enumerable.Range(1, 5).Select(i => log.AppendAsync(AuditRows.Record($"user{i}"))).ToList();
            await AuditOutage.WaitUntilFailingAsync(log);
            Assert.That(async () => await log.AdmitAsync(default), Throws.InstanceOf<AuditUnavailableException>());
            Assert.That(kept.Select(k => k.IsCompleted), Is.All.False);

            await AuditOutage.EndAsync(store);
            Assert.That(await Task.WhenAll(kept), Is.EqualTo(new long[] { 2, 3, 4, 5, 6 }));
            await log.FlushAsync();
        }
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3", "user4", "user5", "portal" }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    // Review: the log took a batch as committed only when the head was still where that commit left it. Another replica
    // may write in between, and the retry then wrote the whole batch a second time.
    [Test]
    public async Task CommitAnswerLost_AnotherReplicaWritesBeforeTheRetry_TheBatchIsInTheChainOnce()
    {
        var store = new PortalStore(LocalPostgres.CreateDatabase("auditlostanswer"));
        await using var relay = PostgresCutProxy.Start(store);
        await using var other = new AuditLog(store, TimeProvider.System, Key, "b");
        var log = new AuditLog(relay.Store, TimeProvider.System, Key, "a", fallbackFile: Path.Combine(TempDir.Create(), AuditLog.FallbackFileName));
        // user0's batch waits at the replicas' lock while user1..3 queue behind it: one batch, the one cut.
        var hold = await AuditWriterHold.TakeAsync(store);
        var first = log.AppendAsync(AuditRows.Record("user0"));
        await AuditWriterHold.WaitForBlockedWriterAsync(store);
        var cut = Enumerable.Range(1, 3).Select(i => log.AppendAsync(AuditRows.Record($"user{i}", i))).ToList();
        relay.Arm(PostgresCutProxy.Cut.AfterCommit, letThrough: 1);
        await AuditWriterHold.ReleaseAsync(hold);
        Assert.That(await first, Is.EqualTo(1));
        await relay.CutDone;
        await AuditOutage.WaitUntilFailingAsync(log);

        await other.AppendAsync(AuditRows.Record("b1"));
        relay.Restore();

        Assert.That(await Task.WhenAll(cut), Is.EqualTo(new long[] { 2, 3, 4 }), "the retry finds its batch where the commit put it");
        await log.DisposeAsync();
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3", "b1" }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task ToolCall_WhileTheAuditStoreIsDown_IsRefusedWithAClearError_ThenServedWhenItIsBack()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        await using var portal = await PortalFixture.StartAsync(config, store: LocalPostgres.CreateDatabase("auditdeny"));
        var client = await portal.ConnectAsync(portal.CreateToken("dev"));
        var log = portal.Services.GetRequiredService<AuditLog>();
        await Echo(client, "before");
        await portal.FlushAuditAsync();

        await AuditOutage.StartAsync(portal.Store);
        // The row of this call is the one the writer cannot commit; the call itself ran before the store failed.
        await Echo(client, "as it fails");
        await AuditOutage.WaitUntilFailingAsync(log);
        var refused = Assert.ThrowsAsync<McpProtocolException>(() => Echo(client, "refused"));
        Assert.That((int)refused!.ErrorCode, Is.EqualTo(PortalRefusal.AuditUnavailableCode));
        Assert.That(refused.Message, Does.Contain("audit log cannot be written"));

        await AuditOutage.EndAsync(portal.Store);
        await portal.FlushAuditAsync();
        var result = await Echo(client, "after");
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("echo: after"));
        await portal.FlushAuditAsync();

        var keys = portal.Services.GetRequiredService<AuditKeys>();
        Assert.That(AuditVerifier.Verify(portal.Store, keys, null), Is.Empty);
        using var db = portal.Store.Open();
        var calls = db.Audit.Where(r => r.Method == "tools/call").OrderBy(r => r.Seq).Select(r => r.Outcome).ToList();
        Assert.That(calls, Is.EqualTo(new[] { "ok", "ok", "ok" }), "before, as it fails, after: each once");
        Assert.That(db.Audit.Count(r => r.Outcome == "audit-unavailable" && r.Decision == "1 call(s) " + AuditTurnedAway.StoreDown),
            Is.EqualTo(1));
    }

    private static Task<CallToolResult> Echo(ModelContextProtocol.Client.McpClient client, string text) =>
        client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = text }).AsTask();
}
