using System.Net;
using Microsoft.Data.Sqlite;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// The findings page shows the latest live capture sessions with libpcap's counters, saved by the sensor's own
/// store call, and flags a session that dropped packets; capture files (no counters) are not listed.
/// </summary>
internal sealed class CaptureSessionsPanelTests
{
    private AdminHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await AdminHost.StartAsync();

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    private async Task<string> FindingsPageAsync()
    {
        using var client = new AdminHttpClient(_host);
        await client.LoginAsync();
        using var response = await client.GetAsync("/admin/findings");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private void SaveLiveSession(string source, long packets, long received, long dropped, long interfaceDropped)
    {
        using var store = FindingStore.Open(Path.Combine(_host.Directory, "store.db"));
        var stats = new ScanStats
        {
            Packets = packets,
            CaptureReceived = received,
            CaptureDropped = dropped,
            CaptureInterfaceDropped = interfaceDropped,
        };
        store.SaveFileResult(source, $"{source}:20261118T100000000Z", 0, stats, null, [], SeededFindings.W47);
    }

    [Test]
    public async Task OnlyCaptureFiles_NoPanel()
    {
        var html = await FindingsPageAsync();

        Assert.That(html, Does.Not.Contain("data-test=\"capture-sessions\""));
    }

    [Test]
    public async Task LiveSessionThatDropped_CountersShownAndFlagged()
    {
        SaveLiveSession("live:eth1", packets: 987_654, received: 1_000_000, dropped: 12_345, interfaceDropped: 7);

        var html = await FindingsPageAsync();

        Assert.That(html, Does.Contain("data-test=\"capture-sessions\""));
        Assert.That(html, Does.Contain("<td class=\"mono\">live:eth1</td>"));
        foreach (var number in new[] { "987,654", "1,000,000", "12,345", ">7<" })
            Assert.That(html, Does.Contain(number));
        Assert.That(html, Does.Contain("Packets were dropped before the sensor read them"));
    }

    [Test]
    public async Task LiveSessionWithoutDrops_ShownWithoutWarning()
    {
        SaveLiveSession("live:lo", packets: 40, received: 80, dropped: 0, interfaceDropped: 0);

        var html = await FindingsPageAsync();

        Assert.That(html, Does.Contain("<td class=\"mono\">live:lo</td>"));
        Assert.That(html, Does.Not.Contain("Packets were dropped"));
    }
}
