using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;
using static ShadowMcp.Scanner.Tests.Shape.ShapeTestFlows;

namespace ShadowMcp.Scanner.Tests.Shape;

public sealed class ShapeFeaturesTests
{
    [Test]
    public void Counters_ServerRecordAfterSilence_CountsAsServerTurnAndAnswersAreCounted()
    {
        // request, answer; 2 s idle; a push; 3 s think time; request, answer
        var flow = Flow(50000,
            (true, 300, 0), (false, 500, 0.05), (false, 90, 2.05), (true, 320, 5.1), (false, 480, 5.15));

        Assert.Multiple(() =>
        {
            Assert.That(flow.Shape.ServerTurns, Is.EqualTo(1));
            Assert.That(flow.Shape.ClientTurns, Is.EqualTo(1));
            Assert.That(flow.Shape.Answers, Is.EqualTo(2));
            Assert.That(flow.Shape.MaxGapSeconds, Is.EqualTo(3.05).Within(1e-6));
            Assert.That(flow.Shape.Requests, Is.EqualTo(2));
            Assert.That(flow.Shape.Pairs, Is.EqualTo(2));
        });
    }

    [Test]
    public void Compute_RequestResponseFlow_GivesRatiosPairsAndAnsweredFraction()
    {
        var flow = Flow(50000, (true, 300, 0), (false, 3000, 0.05), (true, 300, 1.0), (false, 3000, 1.05));
        var values = new float[ShapeFeatures.Count];

        ShapeFeatures.Compute(flow, SessionShape.Alone, values);

        Assert.Multiple(() =>
        {
            Assert.That(Feature(values, "log_pairs"), Is.EqualTo((float)Math.Log(3)).Within(1e-4));
            Assert.That(Feature(values, "pair_ratio"), Is.EqualTo(1f));
            Assert.That(Feature(values, "log_request_answer_ratio"), Is.EqualTo((float)Math.Log(3001.0 / 301)).Within(1e-4));
            Assert.That(Feature(values, "log_bytes_ratio"), Is.EqualTo((float)Math.Log(6001.0 / 601)).Within(1e-4));
            Assert.That(Feature(values, "answered_fraction"), Is.EqualTo(1f));
            Assert.That(Feature(values, "tls13"), Is.EqualTo(1f));
            Assert.That(Feature(values, "session_push_stream"), Is.EqualTo(0f));
        });
    }

    [Test]
    public void Compute_ConnectionEndingWithBodylessRequest_LastRequestRatioBelowZero()
    {
        // TLS 1.3 Finished (not a request), three POSTs answered, then a DELETE without a body answered briefly.
        var flow = Flow(50000, (true, 69, 0), (true, 440, 0.01), (false, 470, 0.05), (true, 300, 0.1),
            (false, 274, 0.12), (true, 470, 0.2), (false, 410, 0.25), (true, 150, 0.3), (false, 120, 0.31));
        var values = new float[ShapeFeatures.Count];

        ShapeFeatures.Compute(flow, ShapeSessions.Of([flow])[0], values);

        Assert.Multiple(() =>
        {
            Assert.That(flow.Shape.MinRequestLength, Is.EqualTo(150));
            Assert.That(Feature(values, "log_last_request_ratio"), Is.EqualTo((float)Math.Log(150.0 / 440)).Within(1e-4));
            // the answer to the DELETE (120) over the median server record (410)
            Assert.That(Feature(values, "log_last_answer_ratio"), Is.EqualTo((float)Math.Log(121.0 / 411)).Within(1e-4));
            Assert.That(Feature(values, "session_final_request_ratio"),
                Is.EqualTo((float)Math.Log(150.0 / 440)).Within(1e-4));
            Assert.That(Feature(values, "session_log_max_pairs"), Is.EqualTo((float)Math.Log(5)).Within(1e-4));
            Assert.That(Feature(values, "session_min_last_request_ratio"),
                Is.EqualTo((float)Math.Log(150.0 / 440)).Within(1e-4));
        });
    }

    [Test]
    public void Compute_TooSmallSpan_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            ShapeFeatures.Compute(Flow(1, (true, 1, 0)), SessionShape.Alone, new float[3]));

    [Test]
    public void Compute_AllocatesNothing()
    {
        var flow = Flow(50000, Enumerable.Range(0, 60).Select(i => (i % 2 == 0, 100 + i, i * 0.1)).ToArray());
        var values = new float[ShapeFeatures.Count];
        ShapeFeatures.Compute(flow, SessionShape.Alone, values); // warm up (JIT)

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) ShapeFeatures.Compute(flow, SessionShape.Alone, values);

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Sessions_StreamBesidePostsEndingTogether_AreOneSessionRunningInParallel()
    {
        // A GET stream (one request, pushes, a close alert) beside a POST connection with two pairs.
        var stream = Flow(50001, (true, 200, 0), (false, 90, 2), (false, 90, 4), (true, 60, 6));
        var posts = Flow(50002,
            (true, 400, 0.1), (false, 600, 0.15), (true, 400, 3), (false, 600, 3.05), (true, 100, 5.9));
        var later = Flow(50003, (true, 400, 30), (false, 600, 30.1));

        var sessions = ShapeSessions.Of([stream, posts, later]);

        Assert.Multiple(() =>
        {
            // The POST connection ends with a 100-byte request after 400-byte ones: the session's smallest ratio.
            // One of the three POSTs is followed by a push (at 4 s) before the next request; the stream's
            // first record answers its own GET. Pairs: the stream's one and the POST connection's two.
            Assert.That(sessions[0] with { BytesRatio = 0, RequestSpread = 0 }, Is.EqualTo(new SessionShape(2, 2,
                true, 1, true, Math.Log(100.0 / 400), MaxPairs: 2, PushStream: true, StartedTogether: 2,
                FinalRequestRatio: Math.Log(100.0 / 400), FinalAnswerRatio: Math.Log(1.0 / 601),
                PushPerRequest: 1.0 / 3, TotalPairs: 3)));
            Assert.That(sessions[0].BytesRatio, Is.EqualTo(Math.Log(1381.0 / 1161)).Within(1e-9));
            Assert.That(sessions[1].Beside, Is.True);
            Assert.That(sessions[1].Cover, Is.EqualTo(5.8 / 6).Within(1e-6));
            Assert.That(sessions[2] with { BytesRatio = 0 }, Is.EqualTo(new SessionShape(1, 1, false, 1, false, 0,
                MaxPairs: 1, FinalAnswerRatio: 0, TotalPairs: 1)));
        });
    }

    [Test]
    public void Sessions_OtherClientOrPort_AreSeparateSessions()
    {
        var a = Flow(50001, (true, 200, 0), (false, 90, 2));
        var b = new TlsFlowSummary { Flow = new Core.Observations.FlowRef("10.0.0.6", 50001, "10.0.0.9", 443, "tcp"), Start = T0 };
        b.Count(true, 200, T0.AddSeconds(1));

        var sessions = ShapeSessions.Of([a, b]);

        Assert.That(sessions.Select(s => s.Flows), Is.EqualTo(new[] { 1, 1 }));
    }
}
