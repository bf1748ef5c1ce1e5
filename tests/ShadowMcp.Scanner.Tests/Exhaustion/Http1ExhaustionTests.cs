using System.Text;

namespace ShadowMcp.Scanner.Tests.Exhaustion;

/// <summary>
/// HTTP/1.1 traffic crafted to cost the sensor more per byte than a real connection, measured by allocation counters
/// (<see cref="AttackCost"/>).
/// </summary>
public class Http1ExhaustionTests
{
    /// <summary>
    /// Turns of <paramref name="burst"/> pipelined minimal requests, then their answers: 27 bytes per request and 25
    /// per answer.
    /// </summary>
    private static List<(byte[] Client, byte[] Server)> PipelinedBursts(int turns, int burst)
    {
        var requests = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", burst)));
        var answers = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("HTTP/1.1 204 No Content\r\n\r\n", burst)));
        return [.. Enumerable.Range(0, turns).Select(_ => (requests, answers))];
    }

    [TestCase(4)]
    [TestCase(60)]
    public void PipelinedBursts_CostLittleWhateverTheirDepth(int burst)
    {
        // Before: a connection kept four answered requests for refilling, so a burst of 60 made 56 requests anew each
        // round trip: 3.9 B/byte where a burst of four cost 0.06.
        var cost = AttackCost.Turns(PipelinedBursts(12_000 / burst, burst));

        TestContext.Out.WriteLine(cost);
        Assert.That(cost.Observations, Is.EqualTo(24_000), "every request and answer is still observed");
        Assert.That(cost.PerByte, Is.LessThan(0.5));
    }
}
