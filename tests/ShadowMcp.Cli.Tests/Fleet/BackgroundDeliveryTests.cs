using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Cli.Fleet;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// A live sensor's delivery runs beside capture: a hung centre never holds a flush, batches that wait are sent when
/// the centre answers or the back-off ends (with no new flush), and stopping is bounded with the batch kept.
/// </summary>
[Category("Integration")]
public sealed class BackgroundDeliveryTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private string _spool = null!;

    [SetUp]
    public void SetUp() => _spool = Directory.CreateTempSubdirectory("shadowmcp-delivery-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_spool, recursive: true);

    private RemoteResultSink Sink(Uri target, HttpClient http, TimeProvider? time = null) =>
        new(new RemoteSinkOptions(target, "sensor-token", "site-a", _spool) { Attempts = 1 }, http, NullLogger.Instance, time);

    private static void Flush(BackgroundDelivery delivery, string session) =>
        delivery.SaveFileResult("lo", session, 0, new ScanStats(), null, [], DateTime.UtcNow);

    [Test]
    public async Task AHungCentre_DoesNotHoldTheFlush_AndTheBatchArrivesWhenItAnswers()
    {
        using var centre = new HoldingCentre();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var delivery = new BackgroundDelivery(Sink(centre.Target, http), NullLogger.Instance);

        await Task.Run(() => Flush(delivery, "live:1")).WaitAsync(HangGuard);
        await centre.FirstReceived.WaitAsync(HangGuard);
        // The centre holds the request: the flush returned without its answer, and a second flush does too.
        await Task.Run(() => Flush(delivery, "live:1")).WaitAsync(HangGuard);
        Assert.That(centre.Answered, Is.Zero);

        centre.Release();
        while (Directory.GetFiles(_spool).Length > 0) await Task.Delay(50).WaitAsync(HangGuard);
        Assert.That(delivery.Finish(TimeSpan.FromSeconds(30)), Is.Zero);
        Assert.That(centre.Answered, Is.InRange(1, 2), "the second snapshot superseded or followed the first");
    }

    [Test]
    public async Task ACentreThatWasDown_GetsTheBatchWhenTheBackoffEnds_WithoutAnotherFlush()
    {
        var port = FreePort();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        var sink = Sink(new Uri($"http://127.0.0.1:{port}/api/sensors/results"), http, time);
        using var delivery = new BackgroundDelivery(sink, NullLogger.Instance, time);

        Flush(delivery, "live:2");
        // The refused connection puts the sink into its back-off.
        while (sink.QuietUntil <= time.GetUtcNow()) await Task.Delay(20).WaitAsync(HangGuard);
        Assert.That(sink.Waiting, Is.EqualTo(1));

        using var centre = new HoldingCentre(port, holding: false);
        while (sink.Waiting > 0)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20).WaitAsync(HangGuard);
        }
        Assert.That(centre.Answered, Is.EqualTo(1));
    }

    [Test]
    public async Task StoppingWhileTheCentreHangs_IsBounded_AndTheBatchStaysSpooled()
    {
        using var centre = new HoldingCentre();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var delivery = new BackgroundDelivery(Sink(centre.Target, http), NullLogger.Instance);
        Flush(delivery, "live:3");
        await centre.FirstReceived.WaitAsync(HangGuard);

        var waiting = await Task.Run(() => delivery.Finish(TimeSpan.FromSeconds(1))).WaitAsync(HangGuard);
        delivery.Dispose();

        Assert.That(waiting, Is.EqualTo(1));
        Assert.That(Directory.GetFiles(_spool), Has.Length.EqualTo(1), "the next run sends it");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
