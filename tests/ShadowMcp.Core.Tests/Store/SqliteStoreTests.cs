using ShadowMcp.Core.Reading;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Tests.Store;

/// <summary>What only the embedded SQLite store has: a file that may be something else, and stores from older versions.</summary>
public sealed class SqliteStoreTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-sqlite-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Open_NotASqliteFile_ThrowsStoreExceptionNamingTheFile()
    {
        var db = Path.Combine(_dir, "garbage.db");
        File.WriteAllText(db, "this is not a database, just text that is long enough to fill a header page.....");
        var ex = Assert.Throws<StoreException>(() => FindingStore.Open(db));
        Assert.That(ex!.Message, Does.Contain("garbage.db"));
    }

    [Test]
    public void Open_StoreFromFirstMigration_BackfillsActivityFromFileContributions()
    {
        var path = Path.Combine(_dir, "old.db");
        var t = new DateTime(2026, 11, 20, 10, 17, 0, DateTimeKind.Utc);
        var finding = new Finding
        {
            Endpoint = new Endpoint("10.0.0.5", 8123, null, "/mcp"),
            Verdict = Verdict.Shadow,
            Flows = 6,
            FirstSeen = t,
            LastSeen = t.AddMinutes(5),
        };
        finding.Evidence.Add(new Evidence { Rule = "r", Detail = "d", FirstSeen = t, LastSeen = t.AddMinutes(5) });
        using (var store = FindingStore.Open(path))
            store.SaveFileResult("a.pcap", "sha-a", 1, new ScanStats(), null, [finding], t);
        using (var db = ShadowMcpDbContext.Open(path))
        {
            // Roll back to the first schema version: the file contribution stays, the activity table goes.
            db.Database.Migrate("InitialDetectionStore");
        }
        SqliteConnection.ClearAllPools();

        using var reopened = FindingStore.Open(path);
        var row = reopened.Context.FindingActivity.AsNoTracking().Single();
        Assert.That(row.Hour, Is.EqualTo(new DateTime(2026, 11, 20, 10, 0, 0)));
        Assert.That(row.Flows, Is.EqualTo(6));
    }
    [Test]
    public async Task Open_StoreFromBeforeCaptureLosses_KeepsEveryCapturesLoss()
    {
        var path = Path.Combine(_dir, "old.db");
        var t = new DateTime(2026, 11, 20, 10, 17, 0, DateTimeKind.Utc);
        using (var store = FindingStore.Open(path))
        {
            store.SaveFileResult("live:eth0", "live-1", 0, new ScanStats { CaptureReceived = 50, CaptureDropped = 7 }, null, [], t);
            store.SaveFileResult("flood.pcap", "sha-flood", 0, new ScanStats { EndpointsEvicted = 2, ClientsDisplaced = 1 }, null, [], t.AddHours(1));
            store.SaveFileResult("quiet.pcap", "sha-quiet", 0, new ScanStats(), null, [], t);
        }
        using (var db = ShadowMcpDbContext.Open(path))
        {
            // Back to the schema before the table: the counters stay on the files, the table goes.
            db.Database.Migrate("ScannedFilesByTime");
        }
        SqliteConnection.ClearAllPools();

        using var reopened = FindingStore.Open(path);
        var losses = await new ScannedFileReader(reopened.Context).LossesAsync(t.AddDays(-1), t.AddDays(1), CancellationToken.None);
        Assert.That(losses, Is.EqualTo(new[]
        {
            new CaptureLoss("flood.pcap", t.AddHours(1), 0, 2, 1, 0),
            new CaptureLoss("live:eth0", t, 7, 0, 0, 0),
        }));
    }
}
