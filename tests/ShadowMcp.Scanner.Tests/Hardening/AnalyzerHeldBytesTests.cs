using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Http2;

namespace ShadowMcp.Scanner.Tests.Hardening;

/// <summary>
/// TLS and HTTP/2 analyzers report the bytes they really hold, so the memory budget charges a half-open flow what it
/// costs instead of a fixed guess: buffers that grow show up, and are released on close.
/// </summary>
public class AnalyzerHeldBytesTests
{
    private static readonly DateTime T0 = new(2025, 5, 1, 8, 0, 0, DateTimeKind.Utc);

    private static ITcpStreamAnalyzer Create(int serverPort, byte[] firstPayload)
    {
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "held");
        var endpoints = new FlowEndpoints("10.0.0.1", 40000, "10.0.0.2", serverPort, "tcp");
        return factory.CreateTcp(endpoints, fromInitiator: true, firstPayload)!;
    }

    private static long Held(ITcpStreamAnalyzer analyzer)
    {
        Assert.That(analyzer, Is.InstanceOf<IHoldsBytes>(), analyzer.GetType().Name);
        return ((IHoldsBytes)analyzer).HeldBytes;
    }

    [Test]
    public void TlsAnalyzer_PartialClientHello_ChargesTheRecordBufferAndReleasesItOnClose()
    {
        // A record header claiming 512 bytes and the first 66 of them: the record must be buffered until the rest.
        byte[] partial = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, .. new byte[60]];
        var analyzer = Create(443, partial);
        long idle = Held(analyzer);

        analyzer.OnData(true, partial, T0);
        long buffering = Held(analyzer);
        analyzer.OnClose(T0);

        Assert.That(idle, Is.LessThan(4096), "nothing buffered yet");
        Assert.That(buffering - idle, Is.GreaterThanOrEqualTo(512), "the record buffer is charged");
        Assert.That(Held(analyzer), Is.EqualTo(idle), "close returns the buffer");
    }

    [Test]
    public void Http2Connection_HeaderBlockAwaitingContinuation_ChargesTheBlock()
    {
        var block = H2.Block((":method", "POST"), (":path", "/mcp"), ("x-filler", new string('a', 3000)));
        var analyzer = Create(80, H2.Preface);
        analyzer.OnData(true, [.. H2.Preface, .. H2.Settings()], T0);
        long idle = Held(analyzer);

        // HEADERS without END_HEADERS: the fragment is kept until CONTINUATION ends the block.
        analyzer.OnData(true, H2.Frame(0x1, 0, 1, block), T0);
        long waiting = Held(analyzer);

        Assert.That(idle, Is.LessThan(8192));
        Assert.That(waiting - idle, Is.GreaterThanOrEqualTo(3000));
    }

    [Test]
    public void Http2Connection_IndexedFields_ChargeTheDynamicTable()
    {
        var analyzer = Create(80, H2.Preface);
        analyzer.OnData(true, [.. H2.Preface, .. H2.Settings()], T0);
        long before = Held(analyzer);

        // Literal with incremental indexing, new name (RFC 7541 6.2.1): the field stays in the table.
        byte[] indexed = [0x40, 0x08, .. "x-filler"u8, 0x7f, 0xe9, 0x06, .. Enumerable.Repeat((byte)'b', 1000)];
        analyzer.OnData(true, H2.Headers(1, [0x83, 0x84, .. indexed]), T0);

        Assert.That(Held(analyzer) - before, Is.GreaterThanOrEqualTo(1000 + 8 + 32));
    }

    [Test]
    public void HttpAnalyzer_MessagesCutBySegments_HoldTheirBuffersOnlyUntilTheyEnd()
    {
        const string body = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""";
        var head = $"POST /mcp HTTP/1.1\r\nHost: 10.0.0.2\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
        var request = System.Text.Encoding.ASCII.GetBytes(head + body);
        var analyzer = Create(80, request);
        long idle = Held(analyzer);

        analyzer.OnData(true, request.AsSpan(0, 20), T0); // inside the head
        long inHead = Held(analyzer);
        analyzer.OnData(true, request.AsSpan(20, head.Length - 20 + 10), T0); // head done, 10 body bytes
        long inBody = Held(analyzer);
        analyzer.OnData(true, request.AsSpan(head.Length + 10), T0);
        long afterRequest = Held(analyzer);

        var response = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: message\ndata: {\"jsonrpc\":"u8.ToArray();
        analyzer.OnData(false, response, T0); // an event cut inside its data line
        long inEvent = Held(analyzer);
        analyzer.OnData(false, "\"2.0\",\"id\":1,\"result\":{}}\n\n"u8, T0);
        long afterEvent = Held(analyzer);

        Assert.Multiple(() =>
        {
            Assert.That(inHead - idle, Is.GreaterThanOrEqualTo(20), "a head cut by a segment is buffered");
            Assert.That(inBody - idle, Is.GreaterThanOrEqualTo(10), "a body prefix is kept until the body ends");
            Assert.That(afterRequest, Is.EqualTo(idle), "an ended request holds no buffer");
            Assert.That(inEvent - idle, Is.GreaterThanOrEqualTo(10), "a cut event line is buffered");
            Assert.That(afterEvent, Is.EqualTo(idle), "a dispatched event holds no buffer");
        });
    }
}
