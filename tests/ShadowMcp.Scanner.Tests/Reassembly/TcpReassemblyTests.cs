using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Tests.Decode.Builders;
using ShadowMcp.Scanner.Tests.Reassembly.Doubles;

namespace ShadowMcp.Scanner.Tests.Reassembly;

public class TcpReassemblyTests
{
    private const TcpFlags Syn = TcpFlags.Syn;
    private const TcpFlags SynAck = TcpFlags.Syn | TcpFlags.Ack;
    private const TcpFlags FinAck = TcpFlags.Fin | TcpFlags.Ack;
    private const TcpFlags Rst = TcpFlags.Rst;

    private readonly TcpConversation _c = new();

    /// <summary>Handshake with client ISN 100 (data from 101) and server ISN 500 (data from 501).</summary>
    private byte[][] Handshake() => [_c.FromClient(100, "", Syn), _c.FromServer(500, "", SynAck, 101), _c.FromClient(101, "", TcpFlags.Ack, 501)];

    [Test]
    public void OnFrame_InOrderConversation_DeliversEachDirectionAndClosesOnceAfterBothFins()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake()).Feed(
            _c.FromClient(101, "GET / HTTP/1.1\r\n\r\n"),
            _c.FromServer(501, "HTTP/1.1 200 OK\r\n"),
            _c.FromServer(518, "\r\n"),
            _c.FromClient(119, "", FinAck),
            _c.FromServer(520, "", FinAck),
            _c.FromClient(120, "", TcpFlags.Ack));
        var closedAt = replay.Now.AddMilliseconds(-1);
        replay.Finish();

        var analyzer = factory.Single;
        Assert.That(analyzer.InitiatorText, Is.EqualTo("GET / HTTP/1.1\r\n\r\n"));
        Assert.That(analyzer.ResponderText, Is.EqualTo("HTTP/1.1 200 OK\r\n\r\n"));
        Assert.That(analyzer.FirstFromInitiator, Is.True);
        Assert.That((analyzer.Endpoints.Initiator, analyzer.Endpoints.InitiatorPort, analyzer.Endpoints.Responder, analyzer.Endpoints.ResponderPort, analyzer.Endpoints.Protocol),
            Is.EqualTo(("10.0.0.1", 40000, "10.0.0.2", 80, "tcp")));
        Assert.That(analyzer.CloseCount, Is.EqualTo(1));
        Assert.That(analyzer.ClosedAt, Is.EqualTo(closedAt), "closed by the second FIN, not at end of capture");
        Assert.That(replay.Stats.Flows, Is.EqualTo(1));
        Assert.That(replay.Stats.GapBytes, Is.Zero);
    }

    [Test]
    public void OnFrame_OutOfOrderSegments_AreDeliveredInSequence()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake()).Feed(
            _c.FromClient(105, "ef"), _c.FromClient(103, "cd"), _c.FromClient(101, "ab"), _c.FromClient(107, "gh"));
        replay.Finish();

        Assert.That(factory.Single.InitiatorText, Is.EqualTo("abcdefgh"));
        Assert.That(factory.Single.Events, Does.Not.Contain("gap>:"));
        Assert.That(replay.Stats.GapBytes, Is.Zero);
    }

    [Test]
    public void OnFrame_RetransmissionsAndOverlaps_DeliverEachByteOnce()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake()).Feed(
            _c.FromClient(101, "abc"),
            _c.FromClient(101, "abc"),      // exact retransmission
            _c.FromClient(102, "bcd"),      // overlaps the delivered bytes
            _c.FromClient(108, "hij"),      // out of order
            _c.FromClient(106, "fghi"),     // overlaps the buffered segment
            _c.FromClient(108, "hij"),      // duplicate of a buffered segment
            _c.FromClient(104, "de"),       // fills the hole, overlapping both sides
            _c.FromClient(100, "", Syn));   // retransmitted SYN
        replay.Finish();

        Assert.That(factory.Single.InitiatorText, Is.EqualTo("abcdefghij"));
        Assert.That(replay.Stats.GapBytes, Is.Zero);
    }

    [Test]
    public void Finish_HoleBeforeBufferedData_ReportsGapThenDeliversTheRest()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake()).Feed(_c.FromClient(101, "abc"), _c.FromClient(110, "xyz"));
        replay.Finish();

        Assert.That(factory.Single.Events, Is.EqualTo(new[] { "data>:abc", "gap>:6", "data>:xyz", "close" }));
        Assert.That(replay.Stats.GapBytes, Is.EqualTo(6));
    }

    [Test]
    public void OnFrame_FinAfterMissingBytes_ClosesWithGapUpToTheFin()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake()).Feed(
            _c.FromClient(101, "abc"), _c.FromClient(110, "", FinAck), _c.FromServer(501, "", FinAck), _c.FromClient(107, "", Rst));

        Assert.That(factory.Single.Events, Is.EqualTo(new[] { "data>:abc", "gap>:6", "close" }));
        Assert.That(factory.Single.CloseCount, Is.EqualTo(1));
    }

    [Test]
    public void OnFrame_RstWithBufferedData_FlushesAndClosesImmediately()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake()).Feed(_c.FromClient(101, "ab"), _c.FromClient(105, "ef"), _c.FromServer(501, "", Rst));

        Assert.That(factory.Single.Events, Is.EqualTo(new[] { "data>:ab", "gap>:2", "data>:ef", "close" }));
        replay.Feed(_c.FromClient(107, "late"));
        replay.Finish();
        Assert.That(factory.Single.CloseCount, Is.EqualTo(1), "late packets of a closed connection reach no analyzer");
        Assert.That(factory.Created, Has.Count.EqualTo(1));
    }

    [Test]
    public void OnFrame_MidStreamPickup_FirstSenderIsInitiator()
    {
        var factory = new RecordingFactory();
        new Replay(factory).Feed(_c.FromServer(9000, "HTTP/1.1 200 OK\r\n"), _c.FromClient(7000, "GET /next"), _c.FromServer(9017, "more")).Finish();

        var analyzer = factory.Single;
        Assert.That((analyzer.Endpoints.Initiator, analyzer.Endpoints.InitiatorPort), Is.EqualTo(("10.0.0.2", 80)));
        Assert.That(analyzer.FirstFromInitiator, Is.True);
        Assert.That(analyzer.InitiatorText, Is.EqualTo("HTTP/1.1 200 OK\r\nmore"));
        Assert.That(analyzer.ResponderText, Is.EqualTo("GET /next"));
    }

    [Test]
    public void OnFrame_CaptureStartsAtSynAck_InitiatorIsTheSynSender()
    {
        var factory = new RecordingFactory();
        new Replay(factory).Feed(_c.FromServer(500, "", SynAck, 101), _c.FromClient(101, "hi")).Finish();

        Assert.That(factory.Single.Endpoints.Initiator, Is.EqualTo("10.0.0.1"));
        Assert.That(factory.Single.FirstFromInitiator, Is.True);
        Assert.That(factory.Single.InitiatorText, Is.EqualTo("hi"));
    }

    [Test]
    public void OnFrame_OneByteSegmentsInAnyOrder_ReassembleExactly()
    {
        const string text = "one byte at a time, shuffled";
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake());
        var order = Enumerable.Range(0, text.Length).OrderBy(i => (i * 7919) % text.Length).ToList();
        foreach (int i in order) replay.Feed(_c.FromClient(101 + (uint)i, text[i].ToString()));
        replay.Finish();

        Assert.That(factory.Single.InitiatorText, Is.EqualTo(text));
        Assert.That(replay.Stats.GapBytes, Is.Zero);
    }

    [Test]
    public void OnFrame_SequenceNumbersWrapAround_AreHandled()
    {
        var factory = new RecordingFactory();
        const uint isn = 0xFFFF_FFF8;
        var replay = new Replay(factory).Feed(
            _c.FromClient(isn, "", Syn), _c.FromServer(500, "", SynAck, isn + 1),
            _c.FromClient(unchecked(isn + 1 + 10), "klmnopqrst"),   // past the wrap (seq 3), out of order
            _c.FromClient(isn + 1, "abcdefghij"),         // before the wrap
            _c.FromClient(isn + 1 + 5, "fghijklm"));      // retransmission across the wrap
        replay.Finish();

        Assert.That(unchecked(isn + 1 + 10), Is.EqualTo(3u));
        Assert.That(factory.Single.InitiatorText, Is.EqualTo("abcdefghijklmnopqrst"));
        Assert.That(replay.Stats.GapBytes, Is.Zero);
    }

    [Test]
    public void OnFrame_PerFlowLimitReached_GivesUpTheHoleAndContinues()
    {
        var factory = new RecordingFactory();
        var options = new ReassemblyOptions { MaxBufferedBytesPerFlow = 3 * (PendingSegments.SegmentOverhead + 4) };
        var replay = new Replay(factory, options).Feed(Handshake()).Feed(
            _c.FromClient(101, "aaaa"),
            // 105..108 lost
            _c.FromClient(109, "cccc"), _c.FromClient(113, "dddd"), _c.FromClient(117, "eeee"),
            _c.FromClient(121, "ffff"),   // does not fit: the hole is given up
            _c.FromClient(125, "gggg"));

        Assert.That(factory.Single.Events, Is.EqualTo(new[] { "data>:aaaa", "gap>:4", "data>:cccc", "data>:dddd", "data>:eeee", "data>:ffff", "data>:gggg" }));
        Assert.That(replay.Stats.GapBytes, Is.EqualTo(4));
        Assert.That(replay.Stats.SegmentsDropped, Is.EqualTo(1));
        replay.Finish();
        Assert.That(factory.Single.Events[^1], Is.EqualTo("close"));
    }

    [Test]
    public void OnFrame_TotalLimitReached_OldestBufferingFlowGivesUpItsHolesAndStaysOpen()
    {
        var factory = new RecordingFactory();
        int segmentCost = PendingSegments.SegmentOverhead + 4;
        var options = new ReassemblyOptions { MaxBufferedBytesTotal = 2 * segmentCost };
        var a = new TcpConversation(clientPort: 1001);
        var b = new TcpConversation(clientPort: 1002);
        var replay = new Replay(factory, options).Feed(
            a.FromClient(100, "", Syn), b.FromClient(100, "", Syn),
            a.FromClient(101, "a1a1"), b.FromClient(101, "b1b1"),
            a.FromClient(109, "a3a3"),   // a waits for 105..108
            b.FromClient(109, "b3b3"),   // b waits too: the budget is now full
            b.FromClient(113, "b4b4"));  // needs room: a, waiting longest, gives up its hole

        var analyzerA = factory.Created[0];
        var analyzerB = factory.Created[1];
        Assert.That(analyzerA.Events, Is.EqualTo(new[] { "data>:a1a1", "gap>:4", "data>:a3a3" }));
        Assert.That(analyzerA.CloseCount, Is.Zero);
        Assert.That(analyzerB.InitiatorText, Is.EqualTo("b1b1"));
        replay.Feed(a.FromClient(113, "a4a4"), b.FromClient(105, "b2b2"));
        Assert.That(analyzerA.InitiatorText, Is.EqualTo("a1a1a3a3a4a4"));
        Assert.That(analyzerB.InitiatorText, Is.EqualTo("b1b1b2b2b3b3b4b4"));
        Assert.That(replay.Stats.GapBytes, Is.EqualTo(4));
    }

    [Test]
    public void OnFrame_MaxFlowsReached_EvictsLeastRecentlyActiveFlow()
    {
        var factory = new RecordingFactory();
        var first = new TcpConversation(clientPort: 1);
        var second = new TcpConversation(clientPort: 2);
        var third = new TcpConversation(clientPort: 3);
        var replay = new Replay(factory, new ReassemblyOptions { MaxFlows = 2 }).Feed(
            first.FromClient(10, "one"), second.FromClient(10, "two"), first.FromClient(13, "+"), third.FromClient(10, "three"));

        Assert.That(replay.Stats.FlowEvictions, Is.EqualTo(1));
        Assert.That(replay.FlowCount, Is.EqualTo(2));
        Assert.That(factory.Created[1].InitiatorText, Is.EqualTo("two"));
        Assert.That(factory.Created[1].CloseCount, Is.EqualTo(1), "the second flow was least recently active");
        Assert.That(factory.Created[0].CloseCount, Is.Zero);
        Assert.That(replay.Stats.Flows, Is.EqualTo(3));
    }

    [Test]
    public void OnFrame_FlowIdleLongerThanTimeout_IsClosedAtItsLastPacket()
    {
        var factory = new RecordingFactory();
        var other = new TcpConversation(clientPort: 2);
        var replay = new Replay(factory, new ReassemblyOptions { IdleTimeout = TimeSpan.FromMinutes(5) });
        replay.At(Replay.Start, _c.FromClient(10, "idle"));
        replay.At(Replay.Start.AddMinutes(4), other.FromClient(10, "busy"));
        Assert.That(factory.Created[0].CloseCount, Is.Zero);

        replay.At(Replay.Start.AddMinutes(5).AddSeconds(1), other.FromClient(14, "!"));

        Assert.That(factory.Created[0].CloseCount, Is.EqualTo(1));
        Assert.That(factory.Created[0].ClosedAt, Is.EqualTo(Replay.Start));
        Assert.That(factory.Created[1].CloseCount, Is.Zero);
        Assert.That(replay.Stats.FlowEvictions, Is.Zero);
    }

    [Test]
    public void OnFrame_FactoryDeclines_FlowIsNotBufferedAndFactoryAskedOnce()
    {
        var factory = new RecordingFactory { Accept = _ => false };
        var replay = new Replay(factory).Feed(Handshake());
        for (uint i = 0; i < 50; i++) replay.Feed(_c.FromClient(101 + 1000 + i * 10, "later data"), _c.FromClient(101 + i * 10, "0123456789"));
        replay.Finish();

        Assert.That(factory.CreateCalls, Is.EqualTo(1));
        Assert.That(factory.Created, Is.Empty);
        Assert.That(replay.Stats.GapBytes, Is.Zero);
        Assert.That(replay.Stats.Flows, Is.EqualTo(1));
    }

    [Test]
    public void OnFrame_AnalyzerWantsNoMoreData_StopsDeliveryButStillCloses()
    {
        var factory = new RecordingFactory { WantBytes = 4 };
        var replay = new Replay(factory).Feed(Handshake()).Feed(
            _c.FromClient(101, "abcd"), _c.FromClient(109, "ijkl"), _c.FromClient(105, "efgh"), _c.FromServer(501, "reply"));
        replay.Finish();

        Assert.That(factory.Single.Events, Is.EqualTo(new[] { "data>:abcd", "close" }));
    }

    [Test]
    public void OnFrame_NewSynAfterClose_StartsANewConnection()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake()).Feed(_c.FromClient(101, "first"), _c.FromServer(501, "", Rst));
        replay.Feed(_c.FromClient(7000, "", Syn), _c.FromServer(8000, "", SynAck, 7001), _c.FromClient(7001, "second"));
        replay.Finish();

        Assert.That(factory.Created.Select(a => a.InitiatorText), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(factory.Created.Select(a => a.CloseCount), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(replay.Stats.Flows, Is.EqualTo(2));
    }

    [Test]
    public void OnFrame_Ipv6Connection_EndpointsUseCanonicalText()
    {
        var factory = new RecordingFactory();
        var v6 = new TcpConversation("2001:db8:0:0::1", 5000, "2001:db8::a", 443);
        new Replay(factory).Feed(v6.FromClient(1, "", Syn), v6.FromClient(2, "hi")).Finish();

        Assert.That((factory.Single.Endpoints.Initiator, factory.Single.Endpoints.Responder), Is.EqualTo(("2001:db8::1", "2001:db8::a")));
        Assert.That(factory.Single.InitiatorText, Is.EqualTo("hi"));
    }

    [Test]
    public void Finish_OpenFlows_AreClosedOnceEach()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(_c.FromClient(1, "x"), new TcpConversation(clientPort: 9).FromClient(1, "y"));
        replay.Finish();
        replay.Finish();

        Assert.That(factory.Created.Select(a => a.CloseCount), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(replay.FlowCount, Is.Zero);
    }

    [Test]
    public void OnFrame_DataOnSyn_IsDeliveredAfterTheSynSequenceNumber()
    {
        var factory = new RecordingFactory();
        new Replay(factory).Feed(_c.FromClient(100, "fast", Syn), _c.FromServer(500, "", SynAck, 105), _c.FromClient(105, "open")).Finish();

        Assert.That(factory.Single.InitiatorText, Is.EqualTo("fastopen"));
    }

    [Test]
    public void OnFrame_TotalLimitBelowOneFlowsNeed_FlowGivesUpItsOwnHole()
    {
        var factory = new RecordingFactory();
        var options = new ReassemblyOptions { MaxBufferedBytesTotal = PendingSegments.SegmentOverhead + 4 };
        var replay = new Replay(factory, options).Feed(Handshake()).Feed(
            _c.FromClient(101, "aaaa"), _c.FromClient(109, "cccc"), _c.FromClient(113, "dddd"), _c.FromClient(105, "bbbb"));

        Assert.That(factory.Single.Events, Is.EqualTo(new[] { "data>:aaaa", "gap>:4", "data>:cccc", "data>:dddd" }));
        Assert.That(replay.Stats.SegmentsDropped, Is.EqualTo(1));
    }

    [Test]
    public void OnFrame_Ipv4TotalLengthZero_UsesCapturedBytes()
    {
        var factory = new RecordingFactory();
        var tcp = Packet.Tcp(40000, 80, 1, 0, TcpFlags.Ack, "offloaded"u8.ToArray());
        new Replay(factory).Feed(Packet.Ethernet(Packet.Ipv4("10.0.0.1", "10.0.0.2", 6, tcp, totalLengthOverride: 0))).Finish();

        Assert.That(factory.Single.InitiatorText, Is.EqualTo("offloaded"));
    }

    [Test]
    public void Finish_HoleBeforeAnyDelivery_NewAnalyzerHearsOfTheGapFirst()
    {
        var factory = new RecordingFactory();
        var replay = new Replay(factory).Feed(Handshake()).Feed(_c.FromClient(111, "late"), _c.FromServer(501, "ok"));
        replay.Finish();

        Assert.That(factory.Single.FirstFromInitiator, Is.False);
        Assert.That(factory.Single.Events, Is.EqualTo(new[] { "data<:ok", "gap>:10", "data>:late", "close" }));
        Assert.That(replay.Stats.GapBytes, Is.EqualTo(10));
    }

    [Test]
    public void OnFrame_HoleGivenUpBeforeAnalyzerExists_IsReportedToItBeforeItsFirstData()
    {
        var factory = new RecordingFactory();
        var options = new ReassemblyOptions { MaxBufferedBytesPerFlow = PendingSegments.SegmentOverhead + 4 };
        new Replay(factory, options).Feed(Handshake()).Feed(_c.FromClient(111, "late"), _c.FromClient(115, "more"));

        Assert.That(factory.Single.FirstFromInitiator, Is.True);
        Assert.That(factory.Single.Events, Is.EqualTo(new[] { "gap>:10", "data>:late", "data>:more" }));
    }
}
