using ShadowMcp.Classifier.Shape;
using ShadowMcp.Cli.Shape;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;
using static ShadowMcp.Cli.Tests.ShapeTestFlows;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// Review: a flow scored early must get the score the file's end gives it. An open long-lived flow (an SSE GET stream)
/// that is quiet for a while and speaks again later reaches, at the end, past the connections that started during its
/// quiet spell: they are then in its session. Scored early, they were scored alone.
/// </summary>
public sealed class ShapeEarlyScoringOpenStreamTests
{
    private static ShapeModel Model => ShapeModel.Load(Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json"));

    [Test]
    public void AConnectionDuringAQuietOpenStream_IsScoredWithTheStreamAsAtTheEnd()
    {
        var t0 = new DateTime(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);
        // The stream: opened at t0, answered, then quiet until an event at t0+300 s.
        var stream = Flow("10.0.0.5", 50010, t0, (true, 520, 0), (false, 700, 0.05), (true, 90, 0.1), (false, 40, 0.12));
        // A POST connection of the same client to the same server at t0+100 s, while the stream is open.
        var post = Flow("10.0.0.5", 50011, t0.AddSeconds(100),
            (true, 1400, 0), (false, 90, 0.05), (true, 1300, 0.2), (false, 80, 0.3), (true, 60, 0.6), (false, 30, 0.7));
        // Another client's connection ending at t0+200 s: the file's clock moves on.
        var other = Flow("10.0.0.6", 50012, t0.AddSeconds(200), (true, 520, 0), (false, 700, 0.05), (true, 330, 0.3), (false, 2600, 0.4));

        var atEnd = new ShapeStage(Model);
        var early = new ShapeStage(Model, new ShapeStage.Options { ScoreEarlyAfterFlows = 1 });
        var stages = new[] { atEnd, early };
        foreach (var s in stages) s.OnTlsFlowStarted(stream);
        foreach (var s in stages) { s.OnTlsFlowStarted(post); s.OnTlsFlow(post); }
        foreach (var s in stages) { s.OnTlsFlowStarted(other); s.OnTlsFlow(other); }
        // The stream speaks again, then the capture ends.
        Add(stream, false, 300, t0.AddSeconds(300));
        foreach (var s in stages) s.OnTlsFlow(stream);

        var expected = atEnd.Finish(new ObservationList(), "test");
        var scored = early.Finish(new ObservationList(), "test");
        Assert.Multiple(() =>
        {
            Assert.That(ShapeSessions.Of([stream, post])[1].Flows, Is.EqualTo(2), "at the end the POST is in the stream's session");
            Assert.That(scored, Is.EquivalentTo(expected), "early scores must be those of scoring at the end");
        });
    }
}
