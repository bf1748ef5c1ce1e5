using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Tests.Store;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>
/// Live capture sessions with their loss counters, newest first; capture files (no counters) are not sessions. And
/// the captures whose detection limits cost something, with what they gave up.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.Both))]
public sealed class ScannedFileReaderTests(StoreKind kind) : StoreTest(kind)
{
    private static readonly DateTime T0 = ReadingStore.T0;
    [Test]
    public async Task LatestCaptureSessions_NewestFirst_OnlyLive_Capped()
    {
        var target = ReadingStore.Seed(Kind, Dir);
        using (var store = FindingStore.Open(target))
        {
            for (var i = 1; i <= 3; i++)
                store.SaveFileResult($"live:eth{i}", $"live-{i}", 0, new ScanStats { Packets = i, CaptureReceived = 10 * i, CaptureDropped = i }, null, [], T0.AddHours(1 + i));
        }
        await using var db = ShadowMcpDbContext.Open(target);

        var sessions = await new ScannedFileReader(db).LatestCaptureSessionsAsync(3, CancellationToken.None);

        Assert.That(sessions, Is.EqualTo(new[]
        {
            new CaptureSession("live:eth3", T0.AddHours(4), 3, 30, 3, 0),
            new CaptureSession("live:eth2", T0.AddHours(3), 2, 20, 2, 0),
            new CaptureSession("live:eth1", T0.AddHours(2), 1, 10, 1, 0),
        }));
        Assert.That(sessions[0].LastFlush.Kind, Is.EqualTo(DateTimeKind.Utc));
        var all = await new ScannedFileReader(db).LatestCaptureSessionsAsync(10, CancellationToken.None);
        Assert.That(all.Select(s => s.Source), Is.EqualTo(new[] { "live:eth3", "live:eth2", "live:eth1", "live:eth0" }), "a.pcap is a file, not a session");
    }

    [Test]
    public async Task LatestOverLimits_KeepsEveryCounter_ListsOnlyCapturesThatLostSomething_NewestFirst()
    {
        var target = ReadingStore.Seed(Kind, Dir); // its a.pcap gave nothing up
        using (var store = FindingStore.Open(target))
        {
            store.SaveFileResult("flood.pcap", "sha-flood", 10, new ScanStats
            {
                EndpointsEvicted = 3, ContextEndpointsEvicted = 40, EndpointHitsFolded = 500, AddressNamesForgotten = 6,
                ClientsDisplaced = 7, NamesDisplaced = 8, UntrustedResolverAnswers = 9,
            }, null, [], T0.AddHours(1));
            store.SaveFileResult("live:eth1", "live-1", 0, new ScanStats { CaptureReceived = 1, UntrustedResolverAnswers = 1 }, null, [], T0.AddHours(2));
            // The live session's next flush replaces its counts (they only grow).
            store.SaveFileResult("live:eth1", "live-1", 0, new ScanStats { CaptureReceived = 2, UntrustedResolverAnswers = 4 }, null, [], T0.AddHours(3));
            store.SaveFileResult("quiet.pcap", "sha-quiet", 10, new ScanStats { Packets = 99 }, null, [], T0.AddHours(4));
        }
        await using var db = ShadowMcpDbContext.Open(target);

        // Findings lost "since" after the flood: newest first, nothing lifted.
        var captures = await new ScannedFileReader(db).LatestOverLimitsAsync(10, T0.AddHours(5), CancellationToken.None);

        Assert.That(captures, Is.EqualTo(new[]
        {
            new CaptureLimits("live:eth1", T0.AddHours(3), 0, 0, 0, 0, 0, 0, 4),
            new CaptureLimits("flood.pcap", T0.AddHours(1), 3, 40, 500, 6, 7, 8, 9),
        }));
        Assert.That(captures[1].FindingsLost, Is.True);
        Assert.That(captures[0].FindingsLost, Is.False, "answers ignored lose no finding");
        Assert.That(await new ScannedFileReader(db).LatestOverLimitsAsync(1, T0.AddHours(5), CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task LatestOverLimits_NewerCapturesThatLostOnlyDetails_DoNotPushARecentFloodOffTheList()
    {
        // Any sensor can make captures that only displace clients or names; five of them after a flood used to take
        // the flood (and the "findings may be missing" warning) off a five-row list.
        var target = ReadingStore.Seed(Kind, Dir);
        using (var store = FindingStore.Open(target))
        {
            store.SaveFileResult("flood.pcap", "sha-flood", 10, new ScanStats { EndpointsEvicted = 1 }, null, [], T0.AddHours(1));
            for (var i = 0; i < 5; i++)
                store.SaveFileResult($"decoy-{i}.pcap", $"sha-decoy-{i}", 10, new ScanStats { ClientsDisplaced = 1 }, null, [], T0.AddHours(2 + i));
        }
        await using var db = ShadowMcpDbContext.Open(target);
        var reader = new ScannedFileReader(db);

        var recent = await reader.LatestOverLimitsAsync(5, T0, CancellationToken.None);
        var older = await reader.LatestOverLimitsAsync(5, T0.AddHours(2), CancellationToken.None);

        Assert.That(recent.Select(c => c.Source), Is.EqualTo(new[] { "flood.pcap", "decoy-4.pcap", "decoy-3.pcap", "decoy-2.pcap", "decoy-1.pcap" }));
        Assert.That(older.Select(c => c.Source), Does.Not.Contain("flood.pcap"), "a flood older than the window goes back to its place by time");
    }

    [Test]
    public async Task Losses_InThePeriodOnly_DropsAndLimitsSummed_MostEndpointsGivenUpFirst()
    {
        var target = ReadingStore.Seed(Kind, Dir);
        using (var store = FindingStore.Open(target))
        {
            store.SaveFileResult("live:eth1", "live-1", 0, new ScanStats { CaptureReceived = 9, CaptureDropped = 5, CaptureInterfaceDropped = 2 }, null, [], T0.AddHours(1));
            store.SaveFileResult("flood.pcap", "sha-flood", 0, new ScanStats
            {
                EndpointsEvicted = 4, ContextEndpointsEvicted = 1, EndpointHitsFolded = 2, AddressNamesForgotten = 3, ClientsDisplaced = 4,
                NamesDisplaced = 5, UntrustedResolverAnswers = 6,
            }, null, [], T0.AddHours(2));
            store.SaveFileResult("later.pcap", "sha-later", 0, new ScanStats { EndpointsEvicted = 1 }, null, [], T0.AddDays(8));
            // Details given up and untrusted answers ignored lose no finding: not a loss on their own.
            store.SaveFileResult("details.pcap", "sha-details", 0, new ScanStats { ClientsDisplaced = 9, UntrustedResolverAnswers = 2 }, null, [], T0.AddHours(3));
        }
        await using var db = ShadowMcpDbContext.Open(target);

        var losses = await new ScannedFileReader(db).LossesAsync(T0, T0.AddDays(7), CancellationToken.None);

        Assert.That(losses, Is.EqualTo(new[]
        {
            new CaptureLoss("flood.pcap", T0.AddHours(2), 0, 4, 15, 6),
            new CaptureLoss("live:eth0", T0.AddHours(1), 8, 0, 0, 0), // the seeded session: 7 dropped by the kernel, 1 by the interface
            new CaptureLoss("live:eth1", T0.AddHours(1), 7, 0, 0, 0),
        }));
    }

    [Test]
    public async Task Losses_CountersAtTheirLimit_AddUpToTheLimit_NotAnOverflow()
    {
        // A remote sensor with a valid token chooses its counters: their sums must not overflow (PostgreSQL refuses a
        // bigint sum out of range, which would break the weekly report for everyone).
        var target = ReadingStore.Seed(Kind, Dir);
        using (var store = FindingStore.Open(target))
            store.SaveFileResult("sensor:edge-1/flood", "sha-max", 0, new ScanStats
            {
                CaptureDropped = long.MaxValue, CaptureInterfaceDropped = long.MaxValue, EndpointsEvicted = long.MaxValue,
                ContextEndpointsEvicted = long.MaxValue, EndpointHitsFolded = long.MaxValue, AddressNamesForgotten = long.MaxValue,
                ClientsDisplaced = long.MaxValue, NamesDisplaced = long.MaxValue, UntrustedResolverAnswers = long.MaxValue,
            }, null, [], T0.AddHours(2));
        await using var db = ShadowMcpDbContext.Open(target);

        var losses = await new ScannedFileReader(db).LossesAsync(T0, T0.AddDays(7), CancellationToken.None);

        Assert.That(losses[0], Is.EqualTo(new CaptureLoss("sensor:edge-1/flood", T0.AddHours(2), long.MaxValue, long.MaxValue,
            long.MaxValue, long.MaxValue)));
    }
    [Test]
    public async Task Losses_OfALiveSessionAcrossWeeks_CountInTheWeeksTheyGrew()
    {
        // A live session's row holds its counters since it began and is saved at every flush: its first week's drops
        // must stay in the first week's report, and the second week's report must show only what the second added.
        var target = ReadingStore.Seed(Kind, Dir);
        using (var store = FindingStore.Open(target))
        {
            store.SaveFileResult("live:eth9", "live-eth9-1", 0, new ScanStats { CaptureReceived = 100, CaptureDropped = 5, EndpointsEvicted = 1 },
                null, [], T0.AddDays(1));
            store.SaveFileResult("live:eth9", "live-eth9-1", 0, new ScanStats { CaptureReceived = 200, CaptureDropped = 9, EndpointsEvicted = 1 },
                null, [], T0.AddDays(2));
            store.SaveFileResult("live:eth9", "live-eth9-1", 0, new ScanStats { CaptureReceived = 300, CaptureDropped = 12, EndpointsEvicted = 1, NamesDisplaced = 4 },
                null, [], T0.AddDays(8));
            // The last flush again with nothing new: no loss to add.
            store.SaveFileResult("live:eth9", "live-eth9-1", 0, new ScanStats { CaptureReceived = 300, CaptureDropped = 12, EndpointsEvicted = 1, NamesDisplaced = 4 },
                null, [], T0.AddDays(9));
        }
        await using var db = ShadowMcpDbContext.Open(target);
        var reader = new ScannedFileReader(db);

        var first = await reader.LossesAsync(T0, T0.AddDays(7), CancellationToken.None);
        var second = await reader.LossesAsync(T0.AddDays(7), T0.AddDays(14), CancellationToken.None);

        Assert.That(first.Single(c => c.Source == "live:eth9"), Is.EqualTo(new CaptureLoss("live:eth9", T0.AddDays(2), 9, 1, 0, 0)));
        Assert.That(second, Is.EqualTo(new[] { new CaptureLoss("live:eth9", T0.AddDays(8), 3, 0, 4, 0) }));
    }

    [Test]
    public async Task Losses_ACaptureFileScannedAgain_CountsOnceInTheWeekItWasFirstSaved()
    {
        var target = ReadingStore.Seed(Kind, Dir);
        using (var store = FindingStore.Open(target))
        {
            var stats = new ScanStats { EndpointsEvicted = 2, EndpointHitsFolded = 3 };
            store.SaveFileResult("flood.pcap", "sha-flood", 0, stats, null, [], T0.AddDays(1));
            store.SaveFileResult("flood.pcap", "sha-flood", 0, stats, null, [], T0.AddDays(8));
        }
        await using var db = ShadowMcpDbContext.Open(target);
        var reader = new ScannedFileReader(db);

        Assert.That((await reader.LossesAsync(T0, T0.AddDays(7), CancellationToken.None)).Where(c => c.Source == "flood.pcap"),
            Is.EqualTo(new[] { new CaptureLoss("flood.pcap", T0.AddDays(1), 0, 2, 3, 0) }));
        Assert.That(await reader.LossesAsync(T0.AddDays(7), T0.AddDays(14), CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Losses_StoreFromBeforeCaptureLosses_BackfilledOnThisEngine()
    {
        // The backfill is SQL written by hand for each engine: run it on both, with a file's null libpcap counters and
        // counters at long's maximum.
        var target = ReadingStore.Seed(Kind, Dir);
        using (var store = FindingStore.Open(target))
        {
            store.SaveFileResult("live:eth7", "live-eth7", 0, new ScanStats { CaptureReceived = 50, CaptureDropped = long.MaxValue, CaptureInterfaceDropped = 1 },
                null, [], T0.AddDays(1));
            store.SaveFileResult("flood.pcap", "sha-flood", 0, new ScanStats { EndpointsEvicted = 2, ClientsDisplaced = 1 }, null, [], T0.AddDays(2));
        }
        using (var db = ShadowMcpDbContext.Open(target)) db.Database.Migrate("ScannedFilesByTime");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        using (var store = FindingStore.Open(target))
            // Saved again after the upgrade with nothing new: the backfill is what it had, nothing is added twice.
            store.SaveFileResult("flood.pcap", "sha-flood", 0, new ScanStats { EndpointsEvicted = 2, ClientsDisplaced = 1 }, null, [], T0.AddDays(3));
        await using var reopened = ShadowMcpDbContext.Open(target);
        var losses = await new ScannedFileReader(reopened).LossesAsync(T0, T0.AddDays(7), CancellationToken.None);

        Assert.That(losses.Where(c => c.Source is "live:eth7" or "flood.pcap"), Is.EqualTo(new[]
        {
            new CaptureLoss("flood.pcap", T0.AddDays(2), 0, 2, 1, 0),
            new CaptureLoss("live:eth7", T0.AddDays(1), long.MaxValue, 0, 0, 0),
        }));
    }

    [Test]
    public async Task Losses_ALiveSessionLosingAtEveryFlush_KeepsARowPerQuarterHour()
    {
        // A sensor flushes every 10 s by default and a busy network displaces names at nearly every flush: a row per
        // save would grow the table by thousands a day per session, each save would sum them all again, and the report
        // would read them all. Saves in one quarter hour (a multiple of every time zone's offset, so no report's
        // boundary falls inside one) share a row.
        var target = ReadingStore.Seed(Kind, Dir);
        var start = T0.AddDays(1).AddMinutes(50);
        using (var store = FindingStore.Open(target))
            for (var i = 1; i <= 60; i++)
                store.SaveFileResult("live:eth8", "live-eth8", 0, new ScanStats { CaptureReceived = 100 * i, CaptureDropped = i, NamesDisplaced = 2 * i },
                    null, [], start.AddSeconds(10 * i));
        await using var db = ShadowMcpDbContext.Open(target);
        var id = db.ScannedFiles.Single(f => f.Sha256 == "live-eth8").Id;

        Assert.That(db.CaptureLosses.Count(l => l.ScannedFileId == id), Is.EqualTo(2), "00:45-01:00 and 01:00-01:15");
        var reader = new ScannedFileReader(db);
        // A report whose period ends on the hour splits the session's losses there.
        Assert.That((await reader.LossesAsync(T0, T0.AddDays(1).AddHours(1), CancellationToken.None)).Where(c => c.Source == "live:eth8"),
            Is.EqualTo(new[] { new CaptureLoss("live:eth8", start.AddSeconds(590), 59, 0, 118, 0) }));
        Assert.That((await reader.LossesAsync(T0.AddDays(1).AddHours(1), T0.AddDays(7), CancellationToken.None)).Where(c => c.Source == "live:eth8"),
            Is.EqualTo(new[] { new CaptureLoss("live:eth8", start.AddSeconds(600), 1, 0, 2, 0) }));
    }

    [Test]
    public async Task Losses_ACaptureWhoseCountersFellAndGrewBack_CountsTheSameLossOnce()
    {
        // The same capture scanned with small tables, then larger ones (nothing given up), then small ones again: it
        // gave up the same 5 endpoints twice, not 10, and a sensor cannot multiply its loss by alternating counters.
        var target = ReadingStore.Seed(Kind, Dir);
        using (var store = FindingStore.Open(target))
        {
            var small = new ScanStats { EndpointsEvicted = 5, EndpointHitsFolded = 2 };
            store.SaveFileResult("flood.pcap", "sha-flood", 0, small, null, [], T0.AddDays(1));
            store.SaveFileResult("flood.pcap", "sha-flood", 0, new ScanStats(), null, [], T0.AddDays(2));
            store.SaveFileResult("flood.pcap", "sha-flood", 0, small, null, [], T0.AddDays(3));
            // Past the most it ever gave up: only the excess is new.
            store.SaveFileResult("flood.pcap", "sha-flood", 0, new ScanStats { EndpointsEvicted = 7, EndpointHitsFolded = 2 }, null, [], T0.AddDays(4));
            var hostile = new ScanStats { EndpointsEvicted = long.MaxValue };
            store.SaveFileResult("sensor:edge-1/flood", "sensor:edge-1:k", 0, hostile, null, [], T0.AddDays(1));
            store.SaveFileResult("sensor:edge-1/flood", "sensor:edge-1:k", 0, new ScanStats(), null, [], T0.AddDays(2));
            store.SaveFileResult("sensor:edge-1/flood", "sensor:edge-1:k", 0, hostile, null, [], T0.AddDays(3));
            // The next save still works with the counters at their maximum.
            store.SaveFileResult("sensor:edge-1/flood", "sensor:edge-1:k", 0, hostile, null, [], T0.AddDays(4));
        }
        await using var db = ShadowMcpDbContext.Open(target);

        var losses = await new ScannedFileReader(db).LossesAsync(T0, T0.AddDays(7), CancellationToken.None);

        Assert.That(losses.Where(c => c.Source is "flood.pcap" or "sensor:edge-1/flood"), Is.EqualTo(new[]
        {
            new CaptureLoss("sensor:edge-1/flood", T0.AddDays(1), 0, long.MaxValue, 0, 0),
            new CaptureLoss("flood.pcap", T0.AddDays(4), 0, 7, 2, 0),
        }));
    }

    [Test]
    public async Task TimeWindowReads_UseAnIndexOnScannedAt()
    {
        // Every sensor flush adds a row; the weekly report's window and the admin UI's latest captures must not read
        // the whole table. PostgreSQL picks a sequential scan on a table this small, so it is told not to, which it
        // can only obey with an index.
        var target = ReadingStore.Seed(Kind, Dir);
        await using var db = ShadowMcpDbContext.Open(target);
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        const string window = """SELECT "Path" FROM scanned_files WHERE "ScannedAt" >= '2026-01-01' ORDER BY "ScannedAt" DESC""";
        if (Kind == StoreKind.Postgres)
        {
            command.CommandText = "SET enable_seqscan = off";
            await command.ExecuteNonQueryAsync();
        }
        command.CommandText = (Kind == StoreKind.Postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + window;

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                plan.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");

        Assert.That(string.Join("\n", plan), Does.Contain("IX_scanned_files_ScannedAt"));
    }
}
