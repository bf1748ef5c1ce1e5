using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Telemetry;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// A portal on PostgreSQL whose audit store is held (another replica's batch, as far as it can tell): once its
/// audit log is full, a tool call waits for room before it runs, and completes once the store moves again.
/// The real C# SDK client, the real pipeline.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PortalAuditBackpressureTests
{
    [Test]
    public async Task ToolCall_WithTheAuditQueueFull_WaitsUntilTheStoreCommits()
    {
        await using var upstream = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", upstream.McpUrl));
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        config.Portal.Audit.QueueLimit = 2;
        var db = LocalPostgres.CreateDatabase("backpressure");
        await using var portal = await PortalFixture.StartAsync(config, store: db);
        var waits = new List<string>();
        using var listener = ListenForWaits(portal, waits);
        var client = await portal.ConnectAsync(portal.CreateToken("dev"));
        var log = portal.Services.GetRequiredService<AuditLog>();
        await portal.FlushAuditAsync();

        await using var holder = await AuditWriterHold.TakeAsync(portal.Store);
        await Echo(client, "first");
        await AuditWriterHold.WaitForBlockedWriterAsync(portal.Store);
        while (log.Queued < 1) await Echo(client, "fills the queue");
        var waiting = Echo(client, "waits");
        await AuditWriterHold.WaitForWaitingCallsAsync(log, 1);
        // The writer holds the first row, the second is queued: the log holds its limit, so the next call waits.
        Assert.That(waiting.IsCompleted, Is.False, "a call runs only once the audit log has room for its row");

        await holder.CommitAsync();
        var result = await waiting;
        Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("echo: waits"));
        await portal.FlushAuditAsync();
        lock (waits) Assert.That(waits, Is.EqualTo(new[] { "False" }));
        var keys = portal.Services.GetRequiredService<AuditKeys>();
        Assert.That(AuditVerifier.Verify(portal.Store, keys, null), Is.Empty);
        using var rows = portal.Store.Open();
        Assert.That(rows.Audit.Count(r => r.Method == "tools/call" && r.Outcome == "ok"), Is.GreaterThanOrEqualTo(3));
    }

    private static Task<CallToolResult> Echo(ModelContextProtocol.Client.McpClient client, string text) =>
        client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["text"] = text }).AsTask();

    // The wait histogram of this portal's meter only: other tests' portals share the process.
    private static MeterListener ListenForWaits(PortalFixture portal, List<string> cancelledTags)
    {
        var factory = portal.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PortalMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)
                    && instrument.Name == "shadowmcp.portal.audit.queue.wait")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var (k, v) in tags)
                if (k == "cancelled") lock (cancelledTags) cancelledTags.Add(v?.ToString() ?? "");
        });
        listener.Start();
        return listener;
    }
}
