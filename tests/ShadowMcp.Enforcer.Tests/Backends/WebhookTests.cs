using ShadowMcp.Tests;
using System.Text.Json;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>The webhook backend against a real HTTP receiver on loopback that verifies signatures.</summary>
[Category("Integration")]
[NonParallelizable]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres, Category = ExternalTools.IntegrationCategory)]
public sealed class WebhookTests(StoreKind kind)
{
    private const string Secret = "s3cret-for-tests";
    private Harness _h = null!;
    private WebhookReceiver? _receiver;

    [SetUp]
    public void SetUp()
    {
        Environment.SetEnvironmentVariable("SMCP_TEST_HOOK_SECRET", Secret);
        _h = new Harness("backends: []", kind);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_receiver is not null) await _receiver.DisposeAsync();
        _h.Dispose();
    }

    private async Task Start(int failFirst, int retries)
    {
        _receiver = await WebhookReceiver.StartAsync(System.Text.Encoding.UTF8.GetBytes(Secret), failFirst);
        _h.UsePolicy($"""
            backends:
              - type: webhook
                name: soar
                url: {_receiver.Url}
                secret_env: SMCP_TEST_HOOK_SECRET
                retries: {retries}
                backoff_ms: 20
            """);
    }

    [Test]
    public async Task ApplyThenRollback_SendsSignedBlockThenUnblockEvents()
    {
        await Start(failFirst: 0, retries: 0);

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow("203.0.113.5", 3000, null)], [], CancellationToken.None);
        await _h.Engine.ApplyAsync([TestFindings.Shadow("203.0.113.5", 3000, null)], [], CancellationToken.None);
        await _h.Engine.RollbackAsync(report.Actions.Single().Id, CancellationToken.None);

        Assert.That(_receiver!.BadSignatures, Is.Zero);
        var events = _receiver.Accepted.Select(e => (e.GetProperty("event").GetString(), e.GetProperty("key").GetString())).ToList();
        Assert.That(events, Is.EqualTo(new[] { ("block", "addr:203.0.113.5:3000"), ("unblock", "addr:203.0.113.5:3000") }),
            "one event per change; the second apply sent nothing");
        Assert.That(_receiver.Accepted.First().GetProperty("entry").GetProperty("kind").GetString(), Is.EqualTo("address-port"));
    }

    [Test]
    public async Task Apply_ReceiverFailsTwice_RetriesWithBackoffAndDelivers()
    {
        await Start(failFirst: 2, retries: 3);

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null)], [], CancellationToken.None);

        Assert.That(report.Failed, Is.False);
        Assert.That(_receiver!.Requests, Is.EqualTo(3));
        Assert.That(_receiver.Accepted, Has.Count.EqualTo(1));
        Assert.That(_h.Store.LoadDeadLetters(), Is.Empty);
    }

    [Test]
    public async Task Apply_ReceiverKeepsFailing_DeadLettersEventAndReportsFailure()
    {
        await Start(failFirst: 100, retries: 2);

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null)], [], CancellationToken.None);

        Assert.That(report.Failed, Is.True);
        Assert.That(report.Actions.Single().Error, Does.Contain("dead-lettered"));
        var dead = _h.Store.LoadDeadLetters().Single();
        Assert.That(dead.Attempts, Is.EqualTo(3));
        Assert.That(dead.LastError, Is.EqualTo("HTTP 503"));
        Assert.That(JsonDocument.Parse(dead.EventJson).RootElement.GetProperty("key").GetString(), Is.EqualTo("host:rogue.example"));

        var again = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null)], [], CancellationToken.None);
        Assert.That(again.Actions, Is.Empty, "a dead-lettered event is kept for replay, not re-sent on every apply");
        Assert.That(_receiver!.Requests, Is.EqualTo(3));
    }

    [Test]
    public void Create_SecretEnvMissing_SaysWhichVariable()
    {
        Environment.SetEnvironmentVariable("SMCP_TEST_HOOK_SECRET", null);

        var ex = Assert.Throws<ShadowMcp.Enforcer.Policy.PolicyException>(() => _h.UsePolicy("""
            backends:
              - type: webhook
                url: http://127.0.0.1:9/hook
                secret_env: SMCP_TEST_HOOK_SECRET
            """));

        Assert.That(ex!.Message, Does.Contain("SMCP_TEST_HOOK_SECRET"));
    }
}
