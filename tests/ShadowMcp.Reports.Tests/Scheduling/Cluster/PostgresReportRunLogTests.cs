using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Scheduling;
using ShadowMcp.Reports.Scheduling.Cluster;
using ShadowMcp.Tests;

namespace ShadowMcp.Reports.Tests.Scheduling.Cluster;

[Category("Integration")]
public sealed class PostgresReportRunLogTests
{
    private static readonly DateTimeOffset Due = new(2026, 11, 23, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Due.AddMinutes(1);

    private string _connection = null!;

    [SetUp]
    public void SetUp()
    {
        _connection = StoreTarget.Parse(LocalPostgres.CreateDatabase("reportruns")).Location;
        ClusterSchema.Apply(_connection);
    }

    private PostgresReportRunLog Log(string instance) => new(_connection, instance);

    [Test]
    public void TryClaim_EightInstancesAtOnce_ExactlyOneGetsThePeriod()
    {
        using var start = new Barrier(8);
        var claims = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromMinutes(1));
            return (Instance: $"node-{i}", Claim: Log($"node-{i}").TryClaim("2026-W47", Due, Now));
        })).ToArray();
        Task.WaitAll(claims, TimeSpan.FromMinutes(2));

        var won = claims.Select(t => t.Result).Where(r => r.Claim is not null).ToList();
        try
        {
            Assert.That(won, Has.Count.EqualTo(1));
            var run = Log("reader").List().Single();
            Assert.That(run.Status, Is.EqualTo("running"));
            Assert.That(run.InstanceId, Is.EqualTo(won[0].Instance));
        }
        finally
        {
            foreach (var (_, claim) in won) claim!.Dispose();
        }
    }

    [Test]
    public void TryClaim_AfterTheRunIsDone_NobodyClaimsAgain()
    {
        using (var claim = Log("a").TryClaim("2026-W47", Due, Now)!) claim.Finish(Now.AddSeconds(5), null);

        Assert.That(Log("b").TryClaim("2026-W47", Due, Now.AddSeconds(10)), Is.Null);
        Assert.That(Log("a").TryClaim("2026-W47", Due, Now.AddSeconds(10)), Is.Null);
        var run = Log("reader").List().Single();
        Assert.That((run.Status, run.InstanceId, run.DueAt), Is.EqualTo(("done", "a", Due)));
    }

    [Test]
    public void TryClaim_WhileAnotherInstanceIsMakingIt_IsRefused()
    {
        using var held = Log("a").TryClaim("2026-W47", Due, Now);

        Assert.That(held, Is.Not.Null);
        Assert.That(Log("b").TryClaim("2026-W47", Due, Now), Is.Null);
        using var other = Log("b").TryClaim("2026-W48", Due.AddDays(7), Now.AddDays(7));
        Assert.That(other, Is.Not.Null, "another period is independent");
    }

    [Test]
    public void TryClaim_HolderDiedMidRun_NextInstanceTakesOverAtOnce()
    {
        // The holder's session ends without Finish: what a SIGKILL does to its connection.
        Log("a").TryClaim("2026-W47", Due, Now)!.Dispose();

        using var takeover = Log("b").TryClaim("2026-W47", Due, Now.AddSeconds(30));
        Assert.That(takeover, Is.Not.Null);
        takeover!.Finish(Now.AddSeconds(40), null);
        var run = Log("reader").List().Single();
        Assert.That((run.Status, run.InstanceId), Is.EqualTo(("done", "b")));
    }

    [Test]
    public void TryClaim_AfterAFailedRun_IsRetriedAndTheErrorCleared()
    {
        using (var claim = Log("a").TryClaim("2026-W47", Due, Now)!) claim.Finish(Now, "webhook refused");
        Assert.That(Log("reader").List().Single().Error, Is.EqualTo("webhook refused"));

        using var retry = Log("b").TryClaim("2026-W47", Due, Now.AddMinutes(1));

        Assert.That(retry, Is.Not.Null);
        var run = Log("reader").List().Single();
        Assert.That((run.Status, run.Error, run.InstanceId), Is.EqualTo(("running", (string?)null, "b")));
    }
}
