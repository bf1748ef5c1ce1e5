using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tests.Http;

/// <summary>
/// A closed flow's HTTP analyzer goes back to its factory for the next flow. Whatever the first flow left behind (a
/// request awaiting its answer, a JSON-RPC id, a head cut in half, an open event stream) must not reach the next one:
/// it must see exactly what a new analyzer sees.
/// </summary>
public class HttpAnalyzerRecycleTests
{
    private static readonly DateTime T0 = new(2026, 1, 5, 10, 0, 0, DateTimeKind.Utc);

    private static readonly byte[] Request = Encoding.ASCII.GetBytes(
        "POST /mcp HTTP/1.1\r\nHost: 10.0.0.5\r\nMcp-Session-Id: first\r\nContent-Type: application/json\r\nContent-Length: 46\r\n\r\n"
        + """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");

    // The second flow: the server answers id 1 (an id the first flow's client sent) and streams an event.
    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n");

    [Test]
    public void NextFlow_OnARecycledAnalyzer_SeesWhatANewAnalyzerSees()
    {
        var reused = new ObservationList();
        var factory = new DefaultAnalyzerFactory(reused, "recycle");
        var first = factory.CreateTcp(Flow(40000), true, Request)!;
        first.OnData(true, Request, T0);
        first.OnData(false, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: message\ndata: {\"partial"u8, T0);
        first.OnClose(T0);
        ((IRecyclableAnalyzer)first).Recycle();
        reused.Items.Clear();

        var second = factory.CreateTcp(Flow(40001), false, Answer)!;
        Assert.That(second, Is.SameAs(first), "the factory handed out the recycled analyzer");
        Feed(second);

        var fresh = new ObservationList();
        Feed(new DefaultAnalyzerFactory(fresh, "recycle").CreateTcp(Flow(40001), false, Answer)!);
        Assert.That(Render(reused), Is.EqualTo(Render(fresh)));
        Assert.That(reused.Items.Single(o => o.Kind == ObservationKinds.JsonRpcResponse).Fields.Has("request.method"), Is.False,
            "id 1 was the first flow's request");
    }

    private static void Feed(ITcpStreamAnalyzer analyzer)
    {
        analyzer.OnData(false, Answer, T0);
        analyzer.OnClose(T0);
    }

    private static FlowEndpoints Flow(int clientPort) => new("10.0.0.7", clientPort, "10.0.0.5", 80, "tcp");

    private static List<string> Render(ObservationList sink) =>
        sink.Items.Select(o => $"{o.Kind} {o.Flow.Key} {o.Fields}").ToList();
}
