using Microsoft.Data.Sqlite;
using ShadowMcp.Cli.Siem;
using ShadowMcp.Enforcer.Engine;
using EnforceCommands = ShadowMcp.Enforcer.Engine.Commands;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>
/// The Splunk HEC sink against a stand-in collector on loopback that follows Splunk's contract: everything arrives
/// once, a busy collector is retried, a collector that stays down leaves the cursor before the failed batch and the
/// next run delivers exactly from there, and a lost acknowledgement duplicates only the batch in flight.
/// </summary>
public sealed class HecSinkTests
{
    private const string Token = "11111111-2222-3333-4444-555555555555"; // DevSkim: ignore DS173237 (a test token for the loopback stand-in)
    private string _dir = null!;
    private HecStandIn _hec = null!;
    private string Db => Path.Combine(_dir, "hec.db");
    private string CursorFile => Path.Combine(_dir, "hec.cursor.json");

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-hec-").FullName;
        _hec = await HecStandIn.StartAsync(Token);
        // 4 audit rows, 2 actions, 3 findings: 9 events, 3 batches of 3.
        await SiemSeed.AuditAsync(Db, 4);
        SiemSeed.Action(Db, EnforceCommands.Apply, ActionResults.Ok);
        SiemSeed.Action(Db, EnforceCommands.Rollback, ActionResults.Ok);
        SiemSeed.Scan(Db, "a.pcap", SiemSeed.Day, SiemSeed.Shadow(1, SiemSeed.Day), SiemSeed.Shadow(2, SiemSeed.Day), SiemSeed.Shadow(3, SiemSeed.Day));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _hec.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<int> ExportAsync(SiemDeliveryOptions? options = null, string? token = null)
    {
        await using var sink = new HecSink(_hec.Url, token ?? Token, null, TimeSpan.FromSeconds(30));
        return await SiemExport.RunAsync(Db, CursorFile, sink, options);
    }

    [Test]
    public async Task EveryEventArrivesOnce_AndAReRunSendsNothing()
    {
        Assert.That(await ExportAsync(), Is.EqualTo(9));
        Assert.That(await ExportAsync(), Is.Zero);

        Assert.That(_hec.Uids(), Is.Unique);
        Assert.That(_hec.Events, Has.Count.EqualTo(9));
        Assert.That(_hec.Requests, Is.EqualTo(3), "one request per batch");
        Assert.That(_hec.Events.Select(e => e.GetProperty("class_uid").GetInt32()).Distinct(), Is.EquivalentTo(new[] { 6003, 7004, 2004 }));
    }

    [Test]
    public async Task BusyCollector_IsRetried_AndEverythingArrivesOnce()
    {
        _hec.BusyFor(2);

        Assert.That(await ExportAsync(), Is.EqualTo(9));

        Assert.That(_hec.Uids(), Is.Unique);
        Assert.That(_hec.Events, Has.Count.EqualTo(9));
        Assert.That(_hec.Requests, Is.EqualTo(5), "two refused, then three batches");
    }

    [Test]
    public async Task CollectorDownPastEveryRetry_CursorStaysBeforeTheBatch_NextRunDeliversTheRestExactly()
    {
        var first = await ExportAsync();
        Assert.That(first, Is.EqualTo(9));
        await SiemSeed.AuditAsync(Db, 3);
        SiemSeed.Scan(Db, "b.pcap", SiemSeed.Day.AddDays(1), SiemSeed.Shadow(4, SiemSeed.Day.AddDays(1)), SiemSeed.Shadow(5, SiemSeed.Day.AddDays(1)));

        _hec.BusyFor(100);
        Assert.That(async () => await ExportAsync(), Throws.TypeOf<SiemSinkException>().With.Message.Contains("Server is busy"));
        _hec.BusyFor(0);
        Assert.That(await ExportAsync(), Is.EqualTo(5));

        Assert.That(_hec.Uids(), Is.Unique, "nothing was indexed twice");
        Assert.That(_hec.Events, Has.Count.EqualTo(14), "and nothing was lost");
        Assert.That(await ExportAsync(), Is.Zero);
    }

    [Test]
    public async Task AcknowledgementLost_OnlyTheBatchInFlightIsSentTwice()
    {
        var once = new SiemDeliveryOptions { BatchSize = 3, Retries = 0, InitialBackoff = TimeSpan.Zero };
        // The second batch is indexed, then the connection drops before the answer: the run fails there.
        _hec.BusyFor(0);
        await using (var sink = new HecSink(_hec.Url, Token, null, TimeSpan.FromSeconds(30)))
        {
            await SiemExport.RunAsync(Db, CursorFile, sink, once, new HashSet<SiemStream> { SiemStream.Audit });
            _hec.DropAckFor(1);
            await SiemSeed.AuditAsync(Db, 2);
        }
        var beforeFailure = _hec.Uids();
        Assert.That(async () => await ExportAsync(once), Throws.TypeOf<SiemSinkException>());
        var inFlight = _hec.Uids().Skip(beforeFailure.Length).ToArray();

        Assert.That(await ExportAsync(once), Is.GreaterThan(0));

        var counts = _hec.Uids().GroupBy(u => u).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(counts.Keys, Has.Count.EqualTo(11), "4 + 2 audit rows, 2 actions, 3 findings: all delivered");
        Assert.That(counts.Where(c => c.Value > 1).Select(c => c.Key), Is.EquivalentTo(inFlight), "duplicates are exactly the batch in flight");
        Assert.That(inFlight, Has.Length.EqualTo(3));
    }

    [Test]
    public async Task WrongToken_FailsWithoutRetrying_AndTheTokenIsInNoMessage()
    {
        const string wrong = "wrong-token-value-0000"; // DevSkim: ignore DS173237 (not a secret: a token the stand-in refuses)
        var e = Assert.ThrowsAsync<SiemSinkException>(async () => await ExportAsync(token: wrong))!;

        Assert.That(e.Message, Does.Contain("401").And.Contain("Invalid token"));
        Assert.That(e.Message, Does.Not.Contain(wrong));
        Assert.That(e.Retryable, Is.False);
        Assert.That(_hec.Requests, Is.EqualTo(1), "a rejected token is not retried");
        Assert.That(File.Exists(CursorFile) ? SiemCursor.Load(CursorFile).AuditSeq : 0, Is.Zero);
    }
}
