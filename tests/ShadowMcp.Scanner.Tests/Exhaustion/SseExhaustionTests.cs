using System.Text;

namespace ShadowMcp.Scanner.Tests.Exhaustion;

/// <summary>Event streams crafted to cost the sensor far more per byte than real ones, measured by counters.</summary>
public class SseExhaustionTests
{
    private const string Head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";

    private static AttackCost.Cost Stream(string line, int repeat) =>
        AttackCost.Connection(Encoding.ASCII.GetBytes("GET /sse HTTP/1.1\r\nHost: h\r\n\r\n"),
            Encoding.ASCII.GetBytes(Head + new StringBuilder().Insert(0, line, repeat) + "data:x\n\n"));

    [TestCase("id:x\n", 1_000_000, 4.8)]
    [TestCase("retry:1\n", 1_000_000, 3.0)]
    [TestCase("id:0123456789abcdef0123456789abcdef\n", 200_000, 2.4)]
    public void OneEventOfEndlessIdOrRetryLines_AllocatesNothingPerLine(string line, int repeat, double before)
    {
        // Before: a string per id or retry line, of which only the last reaches the event.
        var cost = Stream(line, repeat);

        TestContext.Out.WriteLine($"{cost} (before: {before} B/byte)");
        Assert.That(cost.Observations, Is.EqualTo(3), "the request, the response and the one event");
        Assert.That(cost.PerByte, Is.LessThan(0.05));
    }
}
