using System.Text;

namespace ShadowMcp.Scanner.Tests.Exhaustion;

/// <summary>JSON-RPC bodies crafted to cost the sensor far more per byte than real ones, measured by counters.</summary>
public class JsonRpcExhaustionTests
{
    private static byte[] Requests(string body, int count) => Encoding.ASCII.GetBytes(new StringBuilder().Insert(0,
        $"POST /mcp HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}", count).ToString());

    [TestCase("1")]
    [TestCase("-7")]
    [TestCase("2.5")]
    public void BatchOfMessagesWithArraysOfSmallNumbers_AllocatesLittlePerField(string number)
    {
        // 50 messages of 256 numbers each per body (within the 64 KiB kept for parsing): a field every two to four bytes, up to each message's field limit.
        // Before: a string per number, 11.1 B allocated per byte received for "1" (10.1 for "-7", 7.7 for "2.5").
        var message = """{"jsonrpc":"2.0","method":"a","params":[""" + string.Join(",", Enumerable.Repeat(number, 256)) + "]}";
        var body = "[" + string.Join(",", Enumerable.Repeat(message, 50)) + "]";

        var cost = AttackCost.Connection(Requests(body, 100), []);

        TestContext.Out.WriteLine(cost);
        Assert.That(cost.Observations, Is.EqualTo(100 + 100 * 50), "each request and each message in it");
        Assert.That(cost.PerByte, Is.LessThan(0.5));
    }
}
