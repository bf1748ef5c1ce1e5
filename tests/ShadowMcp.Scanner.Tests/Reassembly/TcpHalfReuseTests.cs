using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Reassembly;

/// <summary>
/// A closed flow's two halves serve the next flow that opens. Nothing of the earlier connection (where its streams
/// were, its FINs, a hole, buffered bytes) may reach the later one: it must be reassembled as in a scan of its own.
/// </summary>
public class TcpHalfReuseTests
{
    private readonly TcpConversation _first = new(clientPort: 40000);
    private readonly TcpConversation _second = new(clientPort: 40001);

    [Test]
    public void NextFlow_OnAClosedFlowsHalves_IsReassembledAsInAScanOfItsOwn()
    {
        var reused = new RecordingFactory();
        new Replay(reused).Feed(FirstConnection()).Feed(SecondConnection()).Finish();
        var alone = new RecordingFactory();
        new Replay(alone).Feed(SecondConnection()).Finish();

        var second = reused.Created[1];
        Assert.That(second.Endpoints.InitiatorPort, Is.EqualTo(40001));
        Assert.That(second.Events, Is.EqualTo(alone.Single.Events));
        Assert.That((second.InitiatorText, second.ResponderText, second.CloseCount, second.ClosedAt),
            Is.EqualTo(("hello", "world", 1, alone.Single.ClosedAt?.AddMilliseconds(FirstConnection().Length))));
        Assert.That(reused.Created[0].Events, Does.Contain("gap>:2"), "the first flow did leave a hole and buffered bytes");
    }

    // A handshake, a hole with bytes buffered after it, a FIN each way, then a reset: every field of both halves set.
    private byte[][] FirstConnection() =>
    [
        _first.FromClient(100, "", TcpFlags.Syn), _first.FromServer(500, "", TcpFlags.Syn | TcpFlags.Ack, 101),
        _first.FromClient(101, "ab"), _first.FromClient(105, "ef"), _first.FromServer(501, "ok"),
        _first.FromClient(107, "", TcpFlags.Fin | TcpFlags.Ack), _first.FromServer(503, "", TcpFlags.Fin | TcpFlags.Ack),
        _first.FromClient(108, "", TcpFlags.Rst),
    ];

    // Picked up mid-stream (no SYN), far from the first flow's sequence numbers; closed by the client's FIN, the last.
    private byte[][] SecondConnection() =>
    [
        _second.FromClient(9000, "hello"), _second.FromServer(7000, "world"),
        _second.FromServer(7005, "", TcpFlags.Fin | TcpFlags.Ack), _second.FromClient(9005, "", TcpFlags.Fin | TcpFlags.Ack),
    ];
}
