using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;

namespace ShadowMcp.Scanner.Tests.JsonRpc;

/// <summary>
/// JSON a peer controls must never make the reader throw: lone surrogates in names and values, escapes cut off,
/// and every prefix of such text. What is valid around the fault is still read.
/// </summary>
public class HostileJsonTests
{
    private static readonly string[] Hostile =
    [
        """{"\ud800":0}""",
        """{"\udc00":0}""",
        """{"\ud800\u0041":0}""",
        """{"jsonrpc":"2.0","method":"x","params":{"\ud800":1}}""",
        """{"jsonrpc":"2.0","\udfff":1,"method":"tools/list","id":1}""",
        """[{"\ud800":0},{"jsonrpc":"2.0","method":"ping","id":2}]""",
        """{"jsonrpc":"2.0","id":"\ud800","method":"m\udc00"}""",
        """{"\u":0}""",
        """{"\ud8""",
        """{"jso\u006erpc":"2.0","method":"ping"}""",
    ];

    [TestCaseSource(nameof(Hostile))]
    public void Extract_HostileText_NeverThrowsOnAnyPrefix(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        for (int length = 0; length <= bytes.Length; length++)
        {
            var output = new List<JsonRpcMessage>();
            Assert.DoesNotThrow(() => JsonRpcFields.Extract(bytes.AsSpan(0, length), JsonRpcLimits.Default, output),
                $"prefix {length} of {json}");
            Assert.DoesNotThrow(() => JsonRpcFields.TryReadOne(bytes.AsSpan(0, length), JsonRpcLimits.Default, out _, out _),
                $"prefix {length} of {json}");
        }
    }

    [Test]
    public void Extract_LoneSurrogateMemberBeforeMethod_StillReadsTheMessage()
    {
        var output = new List<JsonRpcMessage>();

        JsonRpcFields.Extract("""{"jsonrpc":"2.0","\udfff":1,"method":"tools/list","id":1}"""u8, JsonRpcLimits.Default, output);

        Assert.That(output.Single().Method, Is.EqualTo("tools/list"));
    }

    [Test]
    public void Extract_EscapedMemberNames_MatchLikePlainOnes()
    {
        var output = new List<JsonRpcMessage>();

        JsonRpcFields.Extract("""{"jso\u006erpc":"2.0","\u006dethod":"ping","id":7}"""u8, JsonRpcLimits.Default, output);

        Assert.That((output.Single().Kind, output.Single().Method), Is.EqualTo((ObservationKinds.JsonRpcRequest, "ping")));
    }

    [Test]
    public void Extract_LoneSurrogateInBatch_KeepsTheOtherElements()
    {
        var output = new List<JsonRpcMessage>();

        JsonRpcFields.Extract("""[{"\ud800":0},{"jsonrpc":"2.0","method":"ping","id":2}]"""u8, JsonRpcLimits.Default, output);

        Assert.That(output.Single().Method, Is.EqualTo("ping"));
    }
}
