using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// The findings page lists the captures whose detection limits gave something up, with the counts the scan saved,
/// and warns when endpoints with finding evidence were given up (findings may be missing); captures that lost nothing
/// are not listed.
/// </summary>
internal sealed class DetectionLimitsPanelTests
{
    private AdminHost _host = null!;

    // The pages' clock: a day after the captures below, so they are within the week a lost finding stays on top.
    [SetUp]
    public async Task StartAsync() =>
        _host = await AdminHost.StartAsync(time: new FakeTimeProvider(new DateTimeOffset(SeededFindings.W47.AddDays(1))));

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

    private void Save(string source, ScanStats stats)
    {
        using var store = FindingStore.Open(Path.Combine(_host.Directory, "store.db"));
        store.SaveFileResult(source, $"sha-{source}", 0, stats, null, [], SeededFindings.W47);
    }

    [Test]
    public async Task NothingGivenUp_NoPanel()
    {
        Save("quiet.pcap", new ScanStats { Packets = 10 });

        var html = await FindingsPageAsync();

        Assert.That(html, Does.Not.Contain("data-test=\"detection-limits\""));
    }

    [Test]
    public async Task EndpointsGivenUp_CountsShown_AndFindingsMayBeMissing()
    {
        Save("sensor:site-a/<flood>.pcap", new ScanStats
        {
            EndpointsEvicted = 12_345, ContextEndpointsEvicted = 678, EndpointHitsFolded = 9_999, AddressNamesForgotten = 31,
            ClientsDisplaced = 41, NamesDisplaced = 51, UntrustedResolverAnswers = 61,
        });

        var html = await FindingsPageAsync();

        Assert.That(html, Does.Contain("data-test=\"detection-limits\""));
        Assert.That(html, Does.Contain("<td class=\"mono\">sensor:site-a/&lt;flood&gt;.pcap</td>"), "the source is shown, encoded");
        foreach (var number in new[] { ">12,345<", ">678<", ">9,999<", ">31<", ">41<", ">51<", ">61<" })
            Assert.That(html, Does.Contain(number));
        Assert.That(html, Does.Contain("findings may be missing"));
    }

    [Test]
    public async Task FiveNewerCapturesThatLostOnlyDetails_TheFloodAndItsWarningStay()
    {
        Save("sensor:site-a/flood.pcap", new ScanStats { EndpointsEvicted = 7 });
        for (var i = 0; i < CaptureSessionQueries.Shown; i++)
        {
            using var store = FindingStore.Open(Path.Combine(_host.Directory, "store.db"));
            store.SaveFileResult($"sensor:rogue/decoy-{i}.pcap", $"sha-decoy-{i}", 0, new ScanStats { NamesDisplaced = 1 }, null, [],
                SeededFindings.W47.AddHours(1 + i));
        }

        var html = await FindingsPageAsync();

        Assert.That(html, Does.Contain("<td class=\"mono\">sensor:site-a/flood.pcap</td>"));
        Assert.That(html, Does.Contain("findings may be missing"));
    }

    [Test]
    public async Task OnlyDetailsGivenUp_ListedWithoutTheMissingFindingsWarning()
    {
        Save("live:eth1", new ScanStats { CaptureReceived = 5, ClientsDisplaced = 3 });

        var html = await FindingsPageAsync();

        Assert.That(html, Does.Contain("data-test=\"detection-limits\""));
        Assert.That(html, Does.Not.Contain("findings may be missing"));
    }
}
