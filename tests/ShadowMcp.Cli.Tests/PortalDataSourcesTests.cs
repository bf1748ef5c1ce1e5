using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// What `serve` hands the weekly report and the admin UI about the portal: its real audit log (read, paged,
/// verified) and its config, from a portal that actually ran and audited requests.
/// </summary>
[Category("Integration")]
public sealed class PortalDataSourcesTests
{
    [Test]
    public async Task Sources_AfterRealPortalTraffic_ShowAuditVerifyChainAndCountConversions()
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-portal-src-").FullName;
        var db = Path.Combine(dir, "store.db");
        var config = PortalConfigLoader.Parse("""
            { "portal": { "publicUrl": "https://mcp.corp.example", "shadowRedirect": { "hosts": ["mcp.rogue.example"] } },
              "upstreams": [ { "id": "tickets", "url": "http://127.0.0.1:9/mcp" } ],
              "groups": { "support": { "readOnly": true, "servers": { "tickets": ["search_*"] } } } }
            """);
        var start = DateTime.UtcNow.AddMinutes(-1);
        await using (var portal = PortalHost.Build(config, db, ["http://127.0.0.1:0"], LogLevel.Warning))
        {
            await portal.StartAsync();
            var url = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient();
            const string body = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"legacy-agent","version":"1"}}}""";
            using var shadow = new HttpRequestMessage(HttpMethod.Post, url + "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            shadow.Headers.Host = "mcp.rogue.example";
            Assert.That((await http.SendAsync(shadow)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            using var anonymous = new HttpRequestMessage(HttpMethod.Post, url + "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            Assert.That((await http.SendAsync(anonymous)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            await portal.StopAsync();
        } // disposing the portal drains its audit writer

        var sources = new PortalDataSources(config, db);
        var page = await sources.GetAuditAsync(0, 10, CancellationToken.None);
        var chain = await sources.VerifyAsync(CancellationToken.None);
        var overview = await sources.GetOverviewAsync(CancellationToken.None);
        var activity = await sources.GetActivityAsync(start, DateTime.UtcNow.AddMinutes(1), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(page!.Total, Is.GreaterThanOrEqualTo(2));
            Assert.That(page.Entries.Select(e => e.Target), Has.Some.Contains("mcp.rogue.example"));
            Assert.That(page.Entries.Select(e => e.Detail), Has.Some.StartsWith("conversion"));
            Assert.That(chain!.Intact, Is.True, chain.Detail);
            Assert.That(chain.Entries, Is.EqualTo(page.Total));
            Assert.That(overview!.Servers.Single().Name, Is.EqualTo("tickets"));
            Assert.That(overview.Servers.Single().Groups, Is.EqualTo(new[] { "support" }));
            Assert.That(overview.Policies.Single().Description, Does.Contain("read-only"));
            Assert.That(activity, Is.Not.Null);
            Assert.That(activity!.RedirectedToPortal, Is.EqualTo(1), "the request under the shadow host name");
        });

        // The weekly report shows it, from the same audit rows.
        var reportStore = Path.Combine(dir, "findings.db");
        var reportSources = ShadowMcp.Reports.Building.ReportSources.NotConfigured() with { Portal = sources };
        var week = ShadowMcp.Reports.Periods.ReportPeriod.ForWeek(System.Globalization.ISOWeek.GetYear(DateTime.UtcNow) + "-W"
            + System.Globalization.ISOWeek.GetWeekOfYear(DateTime.UtcNow).ToString("00", System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.Utc);
        var (report, files) = await new ShadowMcp.Reports.Building.ReportGenerator(reportSources)
            .GenerateAsync(reportStore, week, ShadowMcp.Reports.Writers.ReportFormats.All, null, CancellationToken.None);
        Assert.That(report.Headline.RedirectedToPortal, Is.EqualTo(1));
        var markdown = files.Single(f => f.Format == ShadowMcp.Reports.Writers.ReportFormat.Markdown).Content;
        Assert.That(markdown, Does.Contain("| Shadow requests redirected to the portal | 1 |"));

        using (var conn = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            conn.Open();
            using var tamper = conn.CreateCommand();
            tamper.CommandText = "UPDATE portal_audit SET Outcome = 'ok' WHERE Seq = (SELECT MIN(Seq) FROM portal_audit)";
            Assert.That(tamper.ExecuteNonQuery(), Is.EqualTo(1));
        }
        var broken = await new PortalDataSources(config, db).VerifyAsync(CancellationToken.None);
        Assert.That(broken!.Intact, Is.False);
        Assert.That(broken.Detail, Does.Contain("changed"));
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
