using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Npgsql;
using ShadowMcp.Core.Store;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// README "Scale out" on loopback, piece by piece as documented: one PostgreSQL store, two `serve` centres, a sensor
/// per site (`scan --report-to`, token from a file) each reporting to its own centre, and two portal replicas behind
/// HAProxy with deploy/haproxy/shadowmcp-portal.cfg. What a user relies on: both sites' findings are in the one
/// store, each naming the sensors that saw it, an endpoint both sites saw is one finding naming both; MCP calls
/// through the load balancer work, both replicas serve them, and the one audit chain verifies.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
[NonParallelizable]
public sealed class ScaleOutDeploymentTests
{
    private const string SiteAOnly = "cs-stateful-2025-06-18.pcap"; // 127.0.0.1:18103/mcp
    private const string SiteBOnly = "ts-stateful-sse.pcap";        // 127.0.0.1:18201/mcp
    private const string BothSites = "cs-default-stateless.pcap";   // 127.0.0.1:18101/mcp
    private const int Calls = 8;

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("shadowmcp-scale-out-").FullName;

    [TearDown]
    public void TearDown()
    {
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task TwoSites_TwoCentres_TwoPortalsBehindHaproxy_OnePostgresStore()
    {
        ExternalTools.Require("apt-get install haproxy", "haproxy");
        var db = LocalPostgres.CreateDatabase("scaleout");

        // Sensor tokens: one per site, in files, each bound to its site's name; the centres keep their SHA-256 (README).
        var tokens = new[] { "site-a", "site-b" }.ToDictionary(site => site, site =>
        {
            var file = Path.Combine(_dir, site + ".token");
            File.WriteAllText(file, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n");
            return file;
        });
        Dictionary<string, string> CentreSettings(int _) => new()
        {
            ["SHADOWMCP_Sensors__SensorTokens__site-a"] = HashOf(tokens["site-a"]),
            ["SHADOWMCP_Sensors__SensorTokens__site-b"] = HashOf(tokens["site-b"]),
        };
        using var centreA = ServeProcess.Start([], CentreSettings, db);
        using var centreB = ServeProcess.Start([], CentreSettings, db);
        string Centres() => $"--- centre A:\n{centreA.Output}\n--- centre B:\n{centreB.Output}";
        await WaitUntilOkAsync($"http://127.0.0.1:{centreA.Port}/healthz", Centres);
        await WaitUntilOkAsync($"http://127.0.0.1:{centreB.Port}/healthz", Centres);

        // Both sites report at once, each to its own centre.
        CliProcess.Result Sensor(string site, int centrePort, params string[] captures) => CliProcess.Run(
            ["scan", .. captures.Select(RepoPaths.CorpusPcap), "--report-to", $"http://127.0.0.1:{centrePort}",
             "--token-file", tokens[site], "--sensor-name", site, "--spool", Path.Combine(_dir, site + "-spool")]);
        var siteA = Task.Run(() => Sensor("site-a", centreA.Port, SiteAOnly, BothSites));
        var siteB = Task.Run(() => Sensor("site-b", centreB.Port, SiteBOnly, BothSites));
        foreach (var run in await Task.WhenAll(siteA, siteB))
        {
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(run.Stderr, Does.Not.Contain("not delivered"), run.Stderr);
        }

        var sensorsByEndpoint = SensorsByEndpoint(db);
        Assert.That(sensorsByEndpoint, Is.EquivalentTo(new Dictionary<string, string[]>
        {
            ["127.0.0.1:18103/mcp"] = ["site-a"],
            ["127.0.0.1:18201/mcp"] = ["site-b"],
            ["127.0.0.1:18101/mcp"] = ["site-a", "site-b"],
        }), Centres);

        // Portals: two replicas of one config (only replicaId differs), the same audit keys, the one store.
        await using var upstream = await EchoUpstream.StartAsync();
        var configA = WritePortalConfig("a", upstream.McpUrl);
        var configB = WritePortalConfig("b", upstream.McpUrl);
        var created = CliProcess.Run("portal", "token", "create", "--group", "dev", "--config", configA, "--db", db);
        Assert.That(created.ExitCode, Is.Zero, created.Stderr);
        var token = created.Stdout.Split('\n')
            .Single(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..].Trim();

        int portA = FreePort(), portB = FreePort(), lbPort = FreePort();
        using var portalA = await StartPortalAsync("portal a", configA, db, portA);
        using var portalB = await StartPortalAsync("portal b", configB, db, portB);
        using var haproxy = await BackgroundProcess.StartAsync("haproxy", "haproxy",
            ["-db", "-f", Path.Combine(RepoPaths.Root, "deploy", "haproxy", "shadowmcp-portal.cfg")],
            ready: null, environment: new Dictionary<string, string>
            {
                ["PORTAL_LISTEN"] = $"127.0.0.1:{lbPort}",
                ["PORTAL_A"] = $"127.0.0.1:{portA}",
                ["PORTAL_B"] = $"127.0.0.1:{portB}",
            });
        var balancer = $"http://127.0.0.1:{lbPort}";
        await WaitUntilOkAsync(balancer + "/health", () => haproxy.Output);

        await using (var client = await ConnectAsync(balancer + "/mcp", token))
        {
            for (var i = 0; i < Calls; i++)
            {
                var result = await client.CallToolAsync("alpha_echo",
                    new Dictionary<string, object?> { ["text"] = $"call {i}" });
                Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo($"echo: call {i}"));
            }
        }

        // A 2025-era client keeps a stateful session; the balancer's Mcp-Session-Id affinity keeps it on the replica
        // that created it (without it, every other request would get 404 Session not found).
        await using (var stateful = await ConnectAsync(balancer + "/mcp", token, "2025-11-25"))
        {
            Assert.That(stateful.SessionId, Is.Not.Null);
            for (var i = 0; i < 4; i++)
            {
                var result = await stateful.CallToolAsync("alpha_echo",
                    new Dictionary<string, object?> { ["text"] = $"stateful {i}" });
                Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo($"echo: stateful {i}"));
            }
        }

        // A stopped replica has written every audit row it queued.
        Assert.That(await portalA.StopAsync(), Is.Zero, portalA.Output);
        Assert.That(await portalB.StopAsync(), Is.Zero, portalB.Output);
        var callsByReplica = CallsByReplica(db);
        Assert.That(callsByReplica.Values.Sum(), Is.EqualTo(Calls + 4));
        Assert.That(callsByReplica.Keys, Is.EquivalentTo(new[] { "a", "b" }), "the load balancer used both replicas");

        var verify = CliProcess.Run("audit", "verify", "--db", db, "--config", configA);
        Assert.That(verify.ExitCode, Is.Zero, verify.Stdout + verify.Stderr);
        Assert.That(verify.Stdout + verify.Stderr, Does.Contain("audit chain intact")
            .And.Match(@"written by replicas a \(\d+\), b \(\d+\)"));
    }

    private static string HashOf(string tokenFile) =>
        "sha256:" + Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(tokenFile).Trim())));

    private string WritePortalConfig(string replica, string upstreamUrl)
    {
        var file = Path.Combine(_dir, $"portal-{replica}.json");
        File.WriteAllText(file, $$"""
            { "portal": { "replicaId": "{{replica}}", "refreshSeconds": 3600,
                          "audit": { "keyFile": "{{_dir}}/portal-audit.key",
                                     "signingKeyFile": "{{_dir}}/portal-checkpoint.key" } },
              "upstreams": [ { "id": "alpha", "url": "{{upstreamUrl}}", "timeoutSeconds": 30 } ],
              "groups": { "dev": { "servers": { "alpha": ["*"] } } } }
            """);
        return file;
    }

    private static Task<BackgroundProcess> StartPortalAsync(string name, string config, string db, int port) =>
        BackgroundProcess.StartCliAsync(name,
            ["portal", "--config", config, "--db", db, "--urls", $"http://127.0.0.1:{port}"],
            line => line.StartsWith("portal listening on", StringComparison.Ordinal));

    private static async Task<McpClient> ConnectAsync(string url, string token, string protocolVersion = "2026-07-28")
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(url),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        // 2026-07-28 is stateless: every request stands alone, so the balancer needs no affinity for it.
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "scale-out-test", Version = "1.0.0" },
            ProtocolVersion = protocolVersion,
        });
    }

    /// <summary>"address:port/path" of each finding, with the sensors whose captures contributed to it.</summary>
    private static Dictionary<string, string[]> SensorsByEndpoint(string db)
    {
        using var conn = Open(db);
        using var cmd = new NpgsqlCommand("""
            select f."Id", f."Address" || ':' || f."Port" || coalesce(f."Path", ''), s."Path"
            from findings f
            join finding_sources fs on fs."FindingId" = f."Id"
            join scanned_files s on s."Id" = fs."ScannedFileId"
            """, conn);
        using var r = cmd.ExecuteReader();
        var rows = new List<(long Finding, string Endpoint, string Source)>();
        while (r.Read()) rows.Add((r.GetInt64(0), r.GetString(1), r.GetString(2)));
        // One finding per endpoint: grouping by finding id must give the same keys as grouping by endpoint.
        Assert.That(rows.Select(x => x.Finding).Distinct().Count(),
            Is.EqualTo(rows.Select(x => x.Endpoint).Distinct().Count()),
            "an endpoint seen by both sites is one finding");
        // A sensor's capture is stored as "sensor:NAME/SOURCE".
        static string SensorOf(string source) =>
            source["sensor:".Length..source.IndexOf('/', StringComparison.Ordinal)];
        return rows.GroupBy(x => x.Endpoint)
            .ToDictionary(g => g.Key, g => g.Select(x => SensorOf(x.Source)).Distinct().Order().ToArray());
    }

    private static Dictionary<string, long> CallsByReplica(string db)
    {
        using var conn = Open(db);
        using var cmd = new NpgsqlCommand("""
            select "Replica", count(*) from portal_audit
            where "Method" = 'tools/call' and "Outcome" = 'ok' group by "Replica"
            """, conn);
        using var r = cmd.ExecuteReader();
        var calls = new Dictionary<string, long>();
        while (r.Read()) calls[r.GetString(0)] = r.GetInt64(1);
        return calls;
    }

    private static NpgsqlConnection Open(string db)
    {
        var conn = new NpgsqlConnection(StoreTarget.Parse(db).Location);
        conn.Open();
        return conn;
    }

    /// <summary>Polls until the URL answers 200 (a server binding its port), with a hang guard only.</summary>
    private static async Task WaitUntilOkAsync(string url, Func<string> output)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        Assert.Fail($"{url} did not answer 200\n{output()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
