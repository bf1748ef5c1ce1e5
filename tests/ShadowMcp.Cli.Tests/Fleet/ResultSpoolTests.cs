using ShadowMcp.Cli.Fleet;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// The remote sensor's spool: a newer snapshot of a capture supersedes the older ones (the centre would replace them
/// anyway), also across restarts; the size cap drops the oldest batches and never the one just written; batches
/// spooled by an earlier version (no key in the name) are kept and sent in order.
/// </summary>
public sealed class ResultSpoolTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-spool-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static SensorBatch Batch(ResultSpool spool, string key, int padding = 0) => new()
    {
        Sensor = "site-a", Source = "lo", Key = key, Sequence = spool.NextSequence(new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc)),
        ScannedAt = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc), Stats = SensorBatchStats.From(new ScanStats()),
        // Random text does not compress, so the file's size follows the padding.
        Error = padding == 0 ? null : Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(padding)),
        Findings = [],
    };

    [Test]
    public void ANewerSnapshotOfACapture_SupersedesTheOlderOnes_OtherCapturesStay()
    {
        var spool = new ResultSpool(_dir);
        spool.Add(Batch(spool, "live:1"));
        spool.Add(Batch(spool, "file:abc"));
        spool.Add(Batch(spool, "live:1"));
        var newest = Batch(spool, "live:1");
        Assert.That(spool.Add(newest), Is.Zero, "superseding is not dropping");

        var pending = spool.Pending();
        Assert.That(pending, Has.Count.EqualTo(2));
        Assert.That(Path.GetFileName(pending[1]), Does.StartWith($"{newest.Sequence:D20}."), "the newest snapshot waits, last");
    }

    private static SensorBatch[] InParts(ResultSpool spool, string key, int parts) =>
        [.. Enumerable.Range(1, parts).Select(i => Batch(spool, key) with { Part = i, Parts = parts })];

    [Test]
    public void ASnapshotInParts_WaitsWhole_AndWhatADeliveryLeftOfItSurvivesARestart()
    {
        var spool = new ResultSpool(_dir);
        spool.Add(Batch(spool, "file:abc"));
        spool.Add(InParts(spool, "live:1", 3));
        Assert.That(spool.Pending(), Has.Count.EqualTo(4));

        ResultSpool.Remove(spool.Pending()[1]); // part 1 delivered
        var restarted = new ResultSpool(_dir);
        var names = restarted.Pending().Select(p => Path.GetFileName(p)).ToList();
        Assert.That(names, Has.Count.EqualTo(3));
        Assert.That(names[1], Does.Contain(".p2of3."), "the parts still to send stay, in order after the whole batch");
        Assert.That(names[2], Does.Contain(".p3of3."));
    }

    [Test]
    public void ASnapshotCutBetweenItsRenames_IsDroppedAtTheNextStart_SoNoPartOfItReplacesTheCentresCopy()
    {
        var spool = new ResultSpool(_dir);
        var whole = Batch(spool, "file:abc");
        spool.Add(whole);
        spool.Add(InParts(spool, "live:1", 3));
        // A kill -9 after parts 1 and 2 were renamed: part 3 is still a temporary file.
        var last = spool.Pending()[^1];
        Assert.That(last, Does.Contain(".p3of3."));
        File.Move(last, last + ".tmp");

        var restarted = new ResultSpool(_dir);
        Assert.That(restarted.Pending().Select(Path.GetFileName), Is.EqualTo(new[] { Path.GetFileName(spool.Pending().Single()) }));
        Assert.That(Path.GetFileName(restarted.Pending().Single()), Does.StartWith($"{whole.Sequence:D20}."));
        Assert.That(Directory.EnumerateFiles(_dir, "*.tmp"), Is.Empty);
    }

    [Test]
    public void AfterARestart_TheNextSnapshotStillSupersedesTheOneLeftWaiting()
    {
        var before = new ResultSpool(_dir);
        before.Add(Batch(before, "live:7"));
        var after = new ResultSpool(_dir);
        var next = Batch(after, "live:7");
        after.Add(next);
        Assert.That(after.Pending().Select(Path.GetFileName), Is.EqualTo(new[] { Path.GetFileName(after.Pending()[0]) }));
        Assert.That(Path.GetFileName(after.Pending()[0]), Does.StartWith($"{next.Sequence:D20}."));
    }

    [Test]
    public void OverTheCap_TheOldestBatchesGo_NeverTheOneJustWritten()
    {
        // Room for three and a half ~40 KB batches, whatever the compressor makes of them.
        var unit = SizeOfOneBatch(40_000);
        var spool = new ResultSpool(_dir, maxBytes: unit * 7 / 2);
        for (var i = 0; i < 3; i++) Assert.That(spool.Add(Batch(spool, $"file:{i}", 40_000)), Is.Zero);
        var kept = spool.Pending();

        var big = Batch(spool, "file:big", 80_000);
        var dropped = spool.Add(big);

        Assert.That(dropped, Is.EqualTo(2), "three batches of ~40 KB fit; beside an ~80 KB one, two of them must go");
        var pending = spool.Pending();
        Assert.That(pending, Is.EqualTo(new[] { kept[2], pending[^1] }), "the oldest went first");
        Assert.That(Path.GetFileName(pending[^1]), Does.StartWith($"{big.Sequence:D20}."));

        var huge = Batch(spool, "file:huge", 200_000);
        spool.Add(huge);
        Assert.That(spool.Pending(), Has.Count.EqualTo(1), "a batch over the whole cap still waits, alone");
    }

    private long SizeOfOneBatch(int padding)
    {
        var scratch = new ResultSpool(Path.Combine(_dir, "scratch"));
        scratch.Add(Batch(scratch, "scratch", padding));
        var size = new FileInfo(scratch.Pending()[0]).Length;
        Directory.Delete(scratch.DirectoryPath, recursive: true);
        return size;
    }

    [Test]
    public void BatchesFromBeforeKeysWereInTheName_AreKeptInOrder()
    {
        var legacy = Path.Combine(_dir, $"{1L:D20}.batch.json.gz");
        File.WriteAllBytes(legacy, [0x1f, 0x8b]);
        var spool = new ResultSpool(_dir);
        spool.Add(Batch(spool, "live:1"));
        spool.Add(Batch(spool, "live:1"));
        Assert.That(spool.Pending(), Has.Count.EqualTo(2));
        Assert.That(spool.Pending()[0], Is.EqualTo(legacy));
    }
}
