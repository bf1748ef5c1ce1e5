using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Shape;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Tls;
using static ShadowMcp.Cli.Tests.ShapeTestFlows;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// A client that never pauses is one endless shape session: without a cap a file scan kept every one of its TLS
/// flows' records to the file's end, so memory grew with the capture. Past the cap the sessions that ended first
/// are scored with what they have; every flow still gets its score once.
/// </summary>
public sealed class ShapeWaitingCapTests
{
    private static ShapeModel Model => ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"));

    private static List<TlsFlowSummary> EndlessSession(int flows)
    {
        var t0 = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
        // Each connection starts 2 s after the previous one and lasts 3 s: the gaps never reach the session gap.
        return [.. Enumerable.Range(0, flows).Select(i => Flow("10.0.0.9", 40000 + i, t0.AddSeconds(2 * i),
            (true, 500 + i % 7, 0), (false, 900, 0.05), (true, 300, 1.0), (false, 2000, 3.0)))];
    }

    [Test]
    public void EndlessSession_HoldsAtMostTheCap_AndScoresEveryFlowOnce()
    {
        var flows = EndlessSession(1_000);
        var stage = new ShapeStage(Model, new ShapeStage.Options { ScoreEarlyAfterFlows = 10, MaxWaitingFlows = 100 });
        var mostWaiting = 0;
        foreach (var f in flows)
        {
            stage.OnTlsFlowStarted(f);
            stage.OnTlsFlow(f);
            mostWaiting = Math.Max(mostWaiting, stage.Waiting);
        }

        var scores = stage.Finish(new ObservationList(), "test");

        Assert.Multiple(() =>
        {
            Assert.That(mostWaiting, Is.LessThanOrEqualTo(101));
            Assert.That(stage.CutShort, Is.GreaterThan(0));
            Assert.That(scores.Keys, Is.EquivalentTo(flows.Select(f => f.Flow.Key)), "every flow scored, once");
        });
    }

    [Test]
    public void UnderTheCap_ScoresAreThoseOfTheFileEnd()
    {
        var flows = EndlessSession(300);
        var atEnd = new ShapeStage(Model);
        var capped = new ShapeStage(Model, new ShapeStage.Options { ScoreEarlyAfterFlows = 10, MaxWaitingFlows = 1_000 });
        foreach (var s in new[] { atEnd, capped })
            foreach (var f in flows) { s.OnTlsFlowStarted(f); s.OnTlsFlow(f); }

        Assert.That(capped.Finish(new ObservationList(), "test"), Is.EquivalentTo(atEnd.Finish(new ObservationList(), "test")));
        Assert.That(capped.CutShort, Is.Zero);
    }
}
