using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;
using static ShadowMcp.Scanner.Tests.Shape.ShapeTestFlows;

namespace ShadowMcp.Scanner.Tests.Shape;

/// <summary>
/// The session features from how MCP's answers relate to its requests (a JSON-RPC answer's size follows its method)
/// and how a session opens (initialize is its largest request; a 2026-07-28 sessionless request carries its own
/// protocol version and client info, so the first is like the rest).
/// </summary>
public sealed class SessionAnswersTests
{
    /// <summary>A GET stream beside POSTs answered 202, each POST's answer pushed on the stream.</summary>
    private static TlsFlowSummary[] PostsBesideStream(params (int Request, int Push)[] exchanges)
    {
        var stream = new List<(bool, int, double)> { (true, 250, 0), (false, 180, 0.01) };
        var posts = new List<(bool, int, double)>();
        for (var i = 0; i < exchanges.Length; i++)
        {
            double at = 1 + i;
            posts.Add((true, exchanges[i].Request, at));
            posts.Add((false, 130, at + 0.01));
            if (exchanges[i].Push > 0) stream.Add((false, exchanges[i].Push, at + 0.05));
        }
        stream.Add((true, 40, exchanges.Length + 2));
        return [Flow(50001, [.. stream]), Flow(50002, [.. posts])];
    }

    [Test]
    public void LegacySse_AnswersFollowTheMethod_SpreadMoreThanAChatThatEchoesItsMessages()
    {
        // initialize, initialized (no answer but the 202), tools/list, two calls: answers unrelated to requests.
        var mcp = PostsBesideStream((520, 600), (330, 0), (360, 2400), (410, 300), (700, 500));
        // chat: every message is pushed back on the stream with the same envelope around it.
        var chat = PostsBesideStream((300, 330), (800, 830), (450, 480), (1200, 1230), (600, 630));

        var mcpSpread = ShapeSessions.Of(mcp)[1].AnswerRatioSpread;
        var chatSpread = ShapeSessions.Of(chat)[1].AnswerRatioSpread;

        Assert.Multiple(() =>
        {
            Assert.That(mcpSpread, Is.GreaterThan(0.5));
            Assert.That(chatSpread, Is.LessThan(mcpSpread / 4));
        });
    }

    [Test]
    public void AnswerRatio_CountsTheOwnConnectionsAnswerUntilItsNextRequest()
    {
        // Streamable HTTP: each answer on the request's connection, in two records (headers, body).
        var flow = Flow(50001, (true, 400, 0), (false, 100, 0.01), (false, 300, 0.02), (true, 200, 1),
            (false, 100, 1.01), (false, 1500, 1.02));

        var spread = ShapeSessions.Of([flow])[0].AnswerRatioSpread;

        var a = Math.Log(401.0 / 401);
        var b = Math.Log(1601.0 / 201);
        Assert.That(spread, Is.EqualTo(Math.Abs(a - b) / 2).Within(1e-9));
    }

    [Test]
    public void FirstRequest_InitializeLargerThanTheRest_SessionlessLikeTheRest()
    {
        var handshake = Flow(50001, (true, 600, 0), (false, 500, 0.01), (true, 250, 0.1), (false, 120, 0.11),
            (true, 260, 0.2), (false, 900, 0.21), (true, 300, 1), (false, 200, 1.01));
        var sessionless = Flow(50002, (true, 560, 0), (false, 500, 0.01), (true, 570, 0.1), (false, 900, 0.11),
            (true, 610, 1), (false, 200, 1.01));

        var initialize = ShapeSessions.Of([handshake])[0].FirstRequestRatio;
        var discover = ShapeSessions.Of([sessionless])[0].FirstRequestRatio;

        Assert.Multiple(() =>
        {
            Assert.That(initialize, Is.EqualTo(Math.Log(600.0 / 300)).Within(1e-9));
            Assert.That(discover, Is.EqualTo(Math.Log(560.0 / 570)).Within(1e-9));
        });
    }

    [Test]
    public void Answers_AllocateNothing()
    {
        TlsFlowSummary[] flows = PostsBesideStream((520, 600), (330, 0), (360, 2400));
        int[] session = [0, 1];
        _ = SessionAnswers.AnswerRatioSpread(flows, session, 6) + SessionAnswers.FirstRequestRatio(flows, session);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = SessionAnswers.AnswerRatioSpread(flows, session, 6) + SessionAnswers.FirstRequestRatio(flows, session);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
