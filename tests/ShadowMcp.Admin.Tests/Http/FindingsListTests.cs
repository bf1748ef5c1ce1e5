using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// The findings list as a security team works it: counts per verdict that stay put while one verdict is shown,
/// sortable columns, "new this week" from the host's clock, rolled up per server or per client, and the filtered
/// view exported as CSV that a spreadsheet cannot run.
/// </summary>
internal sealed class FindingsListTests
{
    // Thursday of 2026-W47: the W47 findings are new this week, the W44 ones are not.
    private static readonly DateTimeOffset Now = new(2026, 11, 19, 12, 0, 0, TimeSpan.Zero);

    private AdminHost _host = null!;
    private AdminHttpClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _host = await AdminHost.StartAsync(time: new FakeTimeProvider(Now));
        _client = new AdminHttpClient(_host);
        await _client.LoginAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    private async Task<JsonElement> ApiAsync(string query)
    {
        using var response = await _client.GetAsync("/admin/api/findings" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), query);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<string> PageAsync(string query)
    {
        using var response = await _client.GetAsync("/admin/findings" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), query);
        return await response.Content.ReadAsStringAsync();
    }

    private static int Count(JsonElement root, string name) => root.GetProperty("counts").GetProperty(name).GetInt32();

    [Test]
    public async Task Api_GivesEachFindingsBases_AndFiltersByThePrimary()
    {
        var all = await ApiAsync("");
        var shape = await ApiAsync("?basis=shape");
        var name = await ApiAsync("?basis=name&verdict=suspected");
        var bad = await ApiAsync("?basis=sure");

        var bases = all.GetProperty("findings").EnumerateArray().ToDictionary(f => f.GetProperty("endpointKey").GetString()!,
            f => (f.GetProperty("basis").GetString(), string.Join(' ', f.GetProperty("bases").EnumerateArray().Select(b => b.GetString()))));
        Assert.Multiple(() =>
        {
            Assert.That(bases[SeededFindings.ShapeKey], Is.EqualTo(("shape", "shape")));
            Assert.That(bases[SeededFindings.SuspectedKey], Is.EqualTo(("name", "name")));
            Assert.That(bases[SeededFindings.EverythingKey], Is.EqualTo(("content", "content other")));
            Assert.That(shape.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("endpointKey").GetString()), Is.EqualTo(new[] { SeededFindings.ShapeKey }));
            Assert.That(Count(shape, "shadow"), Is.EqualTo(1));
            Assert.That(name.GetProperty("total").GetInt32(), Is.EqualTo(1));
            Assert.That(bad.GetProperty("total").GetInt32(), Is.EqualTo(SeededFindings.Total), "an unknown basis filters nothing");
            Assert.That(bad.GetProperty("problems")[0].GetString(), Does.StartWith("Unknown basis 'sure'"));
        });
    }

    [Test]
    public async Task Csv_CarriesBasisAndBases_AndFollowsTheBasisFilter()
    {
        using var response = await _client.GetAsync("/admin/findings.csv?basis=shape");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines[0], Does.EndWith(",owner,basis,bases"));
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[1], Does.StartWith(SeededFindings.ShapeKey + ",").And.EndWith(",shape,shape"));
    }

    [Test]
    public async Task Page_SaysEachFindingsBasis()
    {
        var html = await PageAsync("?basis=name");

        Assert.That(html, Does.Contain("<td data-test=\"basis\"><span class=\"basis basis-name\""));
        Assert.That(html, Does.Contain("<option value=\"name\" title=\"Only a name (DNS, TLS SNI, HTTP Host) on the known-host list or matching an MCP pattern.\" selected>name</option>"));
    }

    [Test]
    public async Task Counts_PerVerdict_IgnoreTheVerdictFilterAndFollowTheOthers()
    {
        var all = await ApiAsync("?verdict=shadow");
        var legacy = await ApiAsync("?q=legacy");

        Assert.Multiple(() =>
        {
            Assert.That(all.GetProperty("total").GetInt32(), Is.EqualTo(6), "the list itself is filtered");
            Assert.That((Count(all, "shadow"), Count(all, "suspected"), Count(all, "sanctioned"), Count(all, "new")), Is.EqualTo((6, 1, 1, 4)));
            Assert.That((Count(legacy, "shadow"), Count(legacy, "suspected"), Count(legacy, "sanctioned"), Count(legacy, "new")), Is.EqualTo((4, 0, 0, 0)));
        });
    }

    [Test]
    public async Task Page_CountLinks_KeepTheOtherFiltersAndMarkTheShownVerdict()
    {
        var html = await PageAsync("?verdict=shadow&q=legacy");

        Assert.That(html, Does.Contain("class=\"current\" data-verdict=\"shadow\" href=\"/admin/findings?verdict=shadow&amp;q=legacy\">shadow: <span class=\"n\">4</span>"));
        Assert.That(html, Does.Contain("data-verdict=\"all\" href=\"/admin/findings?q=legacy\">all: <span class=\"n\">4</span>"));
    }

    [TestCase("endpoint", "asc")]
    [TestCase("endpoint", "desc")]
    [TestCase("flows", "asc")]
    [TestCase("flows", "desc")]
    [TestCase("first", "asc")]
    [TestCase("confidence", "desc")]
    public async Task Sort_OrdersEveryRowByTheColumn(string column, string dir)
    {
        var rows = (await ApiAsync($"?sort={column}&dir={dir}")).GetProperty("findings").EnumerateArray().ToList();
        var property = column switch { "endpoint" => "endpointKey", "first" => "firstSeen", _ => column };
        var values = rows.Select(r => r.GetProperty(property).ToString()).ToList();
        IComparer<string> comparer = column is "flows" or "confidence"
            ? Comparer<string>.Create((a, b) => double.Parse(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(double.Parse(b, System.Globalization.CultureInfo.InvariantCulture)))
            : StringComparer.Ordinal;
        var expected = dir == "asc" ? values.Order(comparer).ToList() : values.OrderDescending(comparer).ToList();

        Assert.That(rows, Has.Count.EqualTo(SeededFindings.Total));
        Assert.That(values, Is.EqualTo(expected));
    }

    [Test]
    public async Task SortHeader_OnTheShownColumn_TurnsTheDirectionRound()
    {
        var html = await PageAsync("?sort=flows");

        Assert.That(html, Does.Contain("aria-sort=\"descending\"><a data-sort=\"flows\" href=\"/admin/findings?sort=flows&amp;dir=asc\">Flows "));
        Assert.That(html, Does.Contain("<a data-sort=\"endpoint\" href=\"/admin/findings?sort=endpoint\">Endpoint</a>"), "another column starts in its own direction");
    }

    [Test]
    public async Task NewThisWeek_ComesFromTheClock_AndFilters()
    {
        var fresh = await ApiAsync("?new=1");
        var all = await ApiAsync("");

        Assert.That(fresh.GetProperty("findings").EnumerateArray().Select(r => r.GetProperty("endpointKey").GetString()),
            Is.EquivalentTo(new[] { SeededFindings.EverythingKey, SeededFindings.XssKey, SeededFindings.PortalKey, SeededFindings.SuspectedKey }));
        Assert.That(all.GetProperty("findings").EnumerateArray().Count(r => r.GetProperty("isNew").GetBoolean()), Is.EqualTo(4));
    }

    [Test]
    public async Task GroupByClient_CountsEachClientsEndpointsPerVerdict()
    {
        var groups = (await ApiAsync("?group=client")).GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("key").GetString()!, g => g);

        Assert.That(groups.Keys, Is.EquivalentTo(new[] { "10.0.0.20", "10.0.0.7", "10.0.0.8", "10.0.0.9" }));
        var office = groups["10.0.0.20"];
        Assert.That((office.GetProperty("endpoints").GetInt32(), office.GetProperty("shadow").GetInt32(), office.GetProperty("sanctioned").GetInt32(),
            office.GetProperty("new").GetInt32(), office.GetProperty("flows").GetInt64()), Is.EqualTo((5, 4, 1, 1, 24L)));
        var laptop = groups["10.0.0.8"];
        Assert.That((laptop.GetProperty("endpoints").GetInt32(), laptop.GetProperty("shadow").GetInt32(), laptop.GetProperty("suspected").GetInt32()),
            Is.EqualTo((2, 1, 1)));
    }

    [Test]
    public async Task GroupByServer_OneRowPerServerName_HostileNamesStayText()
    {
        var groups = (await ApiAsync("?group=server&verdict=shadow")).GetProperty("groups").EnumerateArray().ToList();
        var html = await PageAsync("?group=server&verdict=shadow");

        Assert.That(groups.Select(g => g.GetProperty("key").GetString()),
            Is.EquivalentTo(new[] { "legacy-1", "legacy-2", "legacy-3", "legacy-4", "everything", SeededFindings.XssServerName }));
        Assert.That(html, Does.Not.Contain(SeededFindings.XssServerName));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // A group opens as the endpoint list searched for its name, keeping the verdict filter.
        Assert.That(html, Does.Contain("href=\"/admin/findings?verdict=shadow&amp;q=everything\">everything</a>"));
    }

    [Test]
    public async Task Csv_ExportsEveryMatchingRowInTheViewsOrder_NotOnePage()
    {
        await using var small = await AdminHost.StartAsync(pageSize: 2, time: new FakeTimeProvider(Now));
        using var client = new AdminHttpClient(small);
        await client.LoginAsync();

        using var response = await client.GetAsync("/admin/findings.csv?verdict=shadow&sort=endpoint");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(lines[0], Does.StartWith("endpoint,host,verdict,server,"));
        var endpoints = lines.Skip(1).Select(l => l.Split(',')[0].Trim('"')).ToList();
        Assert.That(endpoints, Has.Count.EqualTo(6), "all six shadow endpoints although a page holds two");
        Assert.That(endpoints, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(lines.Single(l => l.StartsWith(SeededFindings.EverythingKey, StringComparison.Ordinal)),
            Does.Contain(",shadow,everything,1.0,streamable-http,0.97,5,2,2026-11-18T10:00:00Z,2026-11-18T10:20:00Z,yes,mcp.dev.corp,10.0.0.7; 10.0.0.8"));
        SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task Csv_FormulaInAServerName_IsDefused()
    {
        using (var store = FindingStore.Open(Path.Combine(_host.Directory, "store.db")))
        {
            var f = new Finding
            {
                Endpoint = new Endpoint("10.0.0.99", 9000, null, "/mcp"), Verdict = Verdict.Shadow, Flows = 1,
                FirstSeen = Now.UtcDateTime, LastSeen = Now.UtcDateTime, Transport = Transports.StreamableHttp,
                Server = new ServerInfo("=HYPERLINK(\"http://evil.example\",\"x\")", "-1+1"),
            };
            store.SaveFileResult("evil.pcap", "sha-evil", 1, new ScanStats(), null, [f], Now.UtcDateTime);
        }

        using var response = await _client.GetAsync("/admin/findings.csv?q=10.0.0.99");
        var row = (await response.Content.ReadAsStringAsync()).Split("\r\n")[1];

        Assert.That(row, Does.Contain(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'-1+1,"));
    }

    [Test]
    public async Task Csv_BadFilter_IsRefusedNamingIt()
    {
        using var response = await _client.GetAsync("/admin/findings.csv?sort=colour");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Unknown sort column 'colour'"));
    }

    [Test]
    public async Task Csv_NotSignedIn_GetsNothing()
    {
        using var anonymous = new AdminHttpClient(_host);

        using var response = await anonymous.GetAsync("/admin/findings.csv");

        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain(SeededFindings.EverythingKey));
    }
}
