using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;
using static ShadowMcp.Scanner.Tests.Shape.ShapeTestFlows;

namespace ShadowMcp.Scanner.Tests.Shape;

/// <summary>
/// The session features that follow MCP's answers across connections: the legacy HTTP+SSE transport (POSTs
/// answered 202, the answer pushed on the SSE stream) and the sessionless protocol (requests on short connections).
/// </summary>
public sealed class SessionPairingTests
{
    /// <summary>
    /// Legacy HTTP+SSE: a GET /sse stream (the endpoint event, then one push per POST) beside a POST connection
    /// whose every request is answered by the same tiny 202.
    /// </summary>
    private static (TlsFlowSummary Stream, TlsFlowSummary Posts) LegacySse()
    {
        var stream = Flow(50001, (true, 250, 0), (false, 180, 0.01), (false, 900, 0.25), (false, 400, 0.55),
            (false, 2400, 2.1), (false, 700, 4.06), (true, 40, 6));
        var posts = Flow(50002, (true, 520, 0.2), (false, 130, 0.21), (true, 330, 0.5), (false, 130, 0.51),
            (true, 360, 2.0), (false, 130, 2.01), (true, 410, 4.0), (false, 130, 4.01));
        return (stream, posts);
    }

    [Test]
    public void LegacySse_EveryPostFollowedByAStreamPush_GivesPushPerRequestOne()
    {
        var (stream, posts) = LegacySse();
        var values = new float[ShapeFeatures.Count];

        var sessions = ShapeSessions.Of([stream, posts]);
        ShapeFeatures.Compute(posts, sessions[1], values);

        Assert.Multiple(() =>
        {
            Assert.That(Feature(values, "session_push_per_request"), Is.EqualTo(1f));
            // every POST is answered by the same 202: no spread in the answers
            Assert.That(Feature(values, "answer_spread"), Is.Zero);
            Assert.That(Feature(values, "session_log_total_pairs"), Is.EqualTo((float)Math.Log(1 + 5)).Within(1e-4));
        });
    }

    [Test]
    public void StreamableHttp_IdleGetStreamBesidePosts_GivesNoPushPerRequest()
    {
        // The standalone GET stream gets its headers and then stays quiet while the POSTs are answered inline.
        var stream = Flow(50001, (true, 250, 0.3), (false, 120, 0.31), (true, 40, 6));
        var posts = Flow(50002, (true, 520, 0.2), (false, 700, 0.25), (true, 330, 0.5), (false, 130, 0.51),
            (true, 360, 2.0), (false, 1900, 2.1), (true, 200, 5.9), (false, 110, 5.95));

        var sessions = ShapeSessions.Of([stream, posts]);

        Assert.Multiple(() =>
        {
            Assert.That(sessions[1].PushPerRequest, Is.Zero);
            Assert.That(sessions[1].PushStream, Is.True);
        });
    }

    [Test]
    public void Sessionless_OneRequestPerConnection_PairsAndSpreadCountOverTheSession()
    {
        // Discovery, a list and a call, each on its own short connection: no connection has two pairs.
        var discover = Flow(50001, (true, 300, 0), (false, 900, 0.05));
        var list = Flow(50002, (true, 340, 0.5), (false, 2100, 0.55));
        var call = Flow(50003, (true, 620, 1.5), (false, 400, 1.6));
        var values = new float[ShapeFeatures.Count];

        var sessions = ShapeSessions.Of([discover, list, call]);
        ShapeFeatures.Compute(call, sessions[2], values);

        double[] sizes = [300, 340, 620];
        var mean = sizes.Average();
        var spread = Math.Sqrt(sizes.Select(s => (s - mean) * (s - mean)).Average()) / mean;
        Assert.Multiple(() =>
        {
            Assert.That(sessions[2].MaxPairs, Is.EqualTo(1));
            Assert.That(sessions[2].TotalPairs, Is.EqualTo(3));
            Assert.That(Feature(values, "session_request_spread"), Is.EqualTo((float)spread).Within(1e-4));
            Assert.That(Feature(values, "session_push_per_request"), Is.Zero);
        });
    }

    [Test]
    public void Pairing_AllocatesNothing()
    {
        var (stream, posts) = LegacySse();
        TlsFlowSummary[] flows = [stream, posts];
        int[] session = [0, 1];
        _ = SessionPairing.PushPerRequest(flows, session, 6) + SessionPairing.RequestSpread(flows, session)
            + SessionPairing.TotalPairs(flows, session); // warm up (JIT)

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = SessionPairing.PushPerRequest(flows, session, 6) + SessionPairing.RequestSpread(flows, session)
                + SessionPairing.TotalPairs(flows, session);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
