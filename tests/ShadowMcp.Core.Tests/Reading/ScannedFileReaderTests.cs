using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Tests.Store;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>Live capture sessions with their loss counters, newest first; capture files (no counters) are not sessions.</summary>
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
}
