using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;
using static ShadowMcp.Scanner.Tests.Shape.ShapeTestFlows;

namespace ShadowMcp.Scanner.Tests.Shape;

/// <summary>
/// Session features compare flows and requests with each other; computed pair by pair, a client holding thousands
/// of connections to one server (a NAT, a proxy, or an attacker) made scoring quadratic and stalled a file's end or
/// a live flush. They are now sorts and binary searches; these tests hold them to the pairwise definitions on random
/// sessions full of ties, and run a session of tens of thousands of flows.
/// </summary>
public sealed class SessionScaleTests
{
    [Test]
    public void RandomSessions_WithTies_GiveWhatThePairwiseDefinitionsGive()
    {
        var random = new Random(20261206);
        for (var round = 0; round < 300; round++)
        {
            var flows = RandomSession(random, random.Next(1, 14));
            var sessions = ShapeSessions.Of(flows);
            var members = Enumerable.Range(0, flows.Length).ToList();
            var life = Math.Max((flows.Max(End) - flows.Min(f => f.Start)).TotalSeconds, 1e-3);
            var oneSession = sessions.All(s => s.Flows == flows.Length);
            for (var i = 0; i < flows.Length; i++)
            {
                if (!oneSession) continue; // gaps split it: the pairwise forms below are per session
                Assert.That(sessions[i].MaxParallel, Is.EqualTo(MaxParallelPairwise(flows)), $"round {round}: max parallel");
                Assert.That(sessions[i].Beside, Is.EqualTo(BesidePairwise(flows, i)), $"round {round}: flow {i} beside");
                Assert.That(sessions[i].PushPerRequest, Is.EqualTo(PushPerRequestPairwise(flows, members, life)),
                    $"round {round}: push per request");
            }
        }
    }

    [Test]
    public void ThousandsOfConnectionsFromOneClient_AreOneSessionScoredWithoutAPairwiseLoop()
    {
        // 40,000 short connections a second apart, each with two exchanges, beside one stream held open all along:
        // pairwise this was 1.6e9 overlap checks and 6.4e9 request scans at the end of the file.
        const int connections = 40_000;
        var flows = new TlsFlowSummary[connections + 1];
        flows[0] = Flow(40000, (true, 250, 0), (false, 180, 0.1), (false, 300, connections / 2.0), (false, 300, connections));
        for (var c = 0; c < connections; c++)
        {
            double at = c + 0.5;
            flows[c + 1] = Flow(1024 + c % 60000, (true, 400, at), (false, 900, at + 0.1), (true, 300, at + 0.2),
                (false, 700, at + 0.3));
        }

        var sessions = ShapeSessions.Of(flows);

        Assert.Multiple(() =>
        {
            Assert.That(sessions.Select(s => s.Flows).Distinct(), Is.EqualTo(new[] { connections + 1 }));
            Assert.That(sessions[0].MaxParallel, Is.EqualTo(2), "the stream and one connection at a time");
            Assert.That(sessions[1].Beside, Is.True, "every connection runs beside the stream");
            // two pushes after the opening, each answering the request just before it
            Assert.That(sessions[0].PushPerRequest, Is.EqualTo(2.0 / (2 * connections)));
        });
    }

    private static TlsFlowSummary[] RandomSession(Random random, int count)
    {
        var flows = new TlsFlowSummary[count];
        for (var f = 0; f < count; f++)
        {
            // times on a half-second grid, so starts, ends and records often coincide
            double start = random.Next(0, 8) / 2.0;
            var records = new List<(bool, int, double)>();
            var n = random.Next(0, 7);
            var at = start;
            for (var k = 0; k < n; k++)
            {
                records.Add((random.Next(3) == 0 ? false : random.Next(2) == 0, random.Next(1, 4) * 150, at));
                at += random.Next(0, 3) / 2.0;
            }
            if (records.Count > 0 && random.Next(3) == 0) records[^1] = (false, 300, start + random.Next(4, 12) / 2.0);
            flows[f] = records.Count == 0 ? Flow(50000 + f, (true, 300, start)) : Flow(50000 + f, [.. records]);
        }
        return flows;
    }

    private static DateTime End(TlsFlowSummary f) => f.Shape.Last > f.Start ? f.Shape.Last : f.Start;

    private static int MaxParallelPairwise(TlsFlowSummary[] flows)
    {
        var max = 1;
        foreach (var f in flows)
            max = Math.Max(max, flows.Count(g => g.Start <= f.Start && End(g) >= f.Start));
        return max;
    }

    private static bool BesidePairwise(TlsFlowSummary[] flows, int i) =>
        Enumerable.Range(0, flows.Length).Any(j => j != i && flows[j].Start < End(flows[i]) && End(flows[j]) > flows[i].Start);

    /// <summary>The definition: per request on a non-stream flow, the next such request, and a stream push between.</summary>
    private static double PushPerRequestPairwise(TlsFlowSummary[] flows, List<int> session, double life)
    {
        var minStream = life / 2;
        bool IsStream(TlsFlowSummary f) => f.Shape.Requests <= 1 && f.ServerRecords > 0 && (f.Shape.Last - f.Start).TotalSeconds >= minStream;
        bool IsRequest(TlsRecordShape r) => r.FromClient && r.Length >= TlsShapeCounters.RequestMinLength;
        var requestTimes = session.Where(i => !IsStream(flows[i])).SelectMany(i => flows[i].Records.Where(IsRequest))
            .Select(r => r.Time).ToList();
        var streams = session.Where(i => IsStream(flows[i])).ToList();
        if (requestTimes.Count == 0 || streams.Count == 0) return 0;
        var pushed = 0;
        foreach (var at in requestTimes)
        {
            var later = requestTimes.Where(t => t > at).ToList();
            var next = later.Count == 0 ? DateTime.MaxValue : later.Min();
            if (streams.Any(s => flows[s].Records.Where(r => !r.FromClient).Skip(1).Any(r => r.Time > at && r.Time <= next)))
                pushed++;
        }
        return pushed / (double)requestTimes.Count;
    }
}
