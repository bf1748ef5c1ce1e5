using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// Remote sensors: a real `shadowmcp scan --report-to` against a real `shadowmcp serve`. Results land in the centre's
/// store under the sensor's name, a replay never duplicates, two sensors' findings about one endpoint merge, a centre
/// that is down leaves batches in the spool that the next run delivers in order, a wrong token is refused, audited
/// and loses nothing, and a sensor cannot declare a server sanctioned.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class RemoteSensorTests
{
    private const string Token = "sensor-token-for-tests-0123456789"; // DevSkim: ignore DS173237
    private const string Capture = "cs-stateful-2025-06-18.pcap";
    private const string OtherCapture = "cs-default-stateless.pcap";

    private string _dir = null!;
    private string TokenFile => Path.Combine(_dir, "token");
    private string Spool => Path.Combine(_dir, "spool");

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("shadowmcp-remote-").FullName;
        File.WriteAllText(TokenFile, Token + "\n");
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static ServeProcess StartCentre() =>
        ServeProcess.Start([], _ => new() { ["SHADOWMCP_Sensors__IngestTokens__0"] = Token });

    private CliProcess.Result Scan(string capture, string url, string sensor, string? tokenFile = null) =>
        CliProcess.Run("scan", RepoPaths.CorpusPcap(capture), "--format", "json", "--report-to", url,
            "--token-file", tokenFile ?? TokenFile, "--sensor-name", sensor, "--spool", Spool);

    [Test]
    public async Task Scan_ReportsToServe_AndAReplayOrASecondSensorNeverDuplicates()
    {
        using var centre = StartCentre();
        var url = await Ready(centre);

        var first = Scan(Capture, url, "site-a");
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var reported = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("findings").GetArrayLength();
        Assert.That(reported, Is.GreaterThan(0));
        var (findings, flows) = Totals(centre.Db);
        Assert.That(findings, Is.EqualTo(reported), "every finding the sensor made reached the centre");
        Assert.That(Sources(centre.Db), Is.EqualTo(new[] { $"sensor:site-a/{RepoPaths.CorpusPcap(Capture)}" }));

        Assert.That(Scan(Capture, url, "site-a").ExitCode, Is.Zero);
        Assert.That(Totals(centre.Db), Is.EqualTo((findings, flows)), "a replay replaces, never adds");

        Assert.That(Scan(Capture, url, "site-b").ExitCode, Is.Zero);
        Assert.That(Totals(centre.Db).Findings, Is.EqualTo(findings), "two sensors' findings about one endpoint merge");
        Assert.That(Sources(centre.Db).Select(s => s.Split('/')[0]), Is.EqualTo(new[] { "sensor:site-a", "sensor:site-b" }));
        Assert.That(Directory.GetFiles(Spool), Is.Empty, "nothing waits once the centre acknowledged");
        Assert.That(Audit(centre.Db), Has.Some.EqualTo("sensor-stored"));
    }

    [Test]
    public async Task CentreDown_BatchesWaitInTheSpool_AndTheNextRunDeliversThemInOrder()
    {
        var down = $"http://127.0.0.1:{ClosedPort()}";
        var offline = Scan(Capture, down, "site-a");
        Assert.That(offline.ExitCode, Is.Zero, "a centre that is away is not the scan's failure");
        Assert.That(offline.Stderr, Does.Contain("not delivered"));
        Assert.That(Directory.GetFiles(Spool), Has.Length.EqualTo(1));

        using var centre = StartCentre();
        var url = await Ready(centre);
        var online = Scan(OtherCapture, url, "site-a");
        Assert.That(online.ExitCode, Is.Zero, online.Stderr);
        Assert.That(Directory.GetFiles(Spool), Is.Empty);
        Assert.That(Sources(centre.Db), Is.EquivalentTo(new[]
        {
            $"sensor:site-a/{RepoPaths.CorpusPcap(Capture)}", $"sensor:site-a/{RepoPaths.CorpusPcap(OtherCapture)}",
        }), "the spooled batch was delivered, then the new one");
        Assert.That(SourceIdsInOrder(centre.Db).First(), Does.EndWith(Capture), "the older batch reached the centre first");
    }

    [Test]
    public async Task WrongToken_IsRefusedAndAudited_AndTheBatchStaysSpooled()
    {
        using var centre = StartCentre();
        var url = await Ready(centre);
        var wrong = Path.Combine(_dir, "wrong-token");
        File.WriteAllText(wrong, "not-the-sensor-token-0123456789");

        var run = Scan(Capture, url, "site-a", wrong);
        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Stderr, Does.Contain("401"));
        Assert.That(run.Stderr + run.Stdout, Does.Not.Contain("not-the-sensor-token"), "a token is never printed");
        Assert.That(Directory.GetFiles(Spool), Has.Length.EqualTo(1), "a refused batch is kept for the next run");
        Assert.That(Sources(centre.Db), Is.Empty);
        Assert.That(Audit(centre.Db), Has.Some.EqualTo("sensor-unauthorized"));

        // With the right token the same spool is delivered: nothing was lost by the refusal.
        Assert.That(Scan(Capture, url, "site-a").ExitCode, Is.Zero);
        Assert.That(Directory.GetFiles(Spool), Is.Empty);
        Assert.That(Sources(centre.Db), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task ABatchTheCentreRefusesForItsSize_IsSetAsideWithItsReason_AndLaterBatchesStillArrive()
    {
        // The stateful capture's batch is about 8 KB of JSON, the DNS capture's about 4.4 KB: a 6,000-byte limit
        // refuses the first for itself, which used to hold back every batch the sensor made after it.
        using var centre = ServeProcess.Start([], _ => new()
        {
            ["SHADOWMCP_Sensors__IngestTokens__0"] = Token, ["SHADOWMCP_Sensors__MaxBodyBytes"] = "6000",
        });
        var url = await Ready(centre);

        var big = Scan(Capture, url, "site-a");
        Assert.That(big.ExitCode, Is.Zero, "a refused batch is not the scan's failure");
        Assert.That(big.Stderr, Does.Contain("413").And.Contain("refused a batch"));
        var refused = Path.Combine(Spool, "refused");
        var kept = Directory.GetFiles(refused, "*.batch.json.gz");
        Assert.That(kept, Has.Length.EqualTo(1), "the refused batch is kept for an operator, not dropped");
        Assert.That(File.ReadAllText(kept[0] + ".reason.txt"), Does.Contain("413"));
        Assert.That(Directory.GetFiles(Spool), Is.Empty, "nothing is left in the queue to hold back later batches");

        var small = Scan("dns-mcp-and-other-names.pcap", url, "site-a");
        Assert.That(small.ExitCode, Is.Zero, small.Stderr);
        Assert.That(Sources(centre.Db), Is.EqualTo(new[] { $"sensor:site-a/{RepoPaths.CorpusPcap("dns-mcp-and-other-names.pcap")}" }));
        Assert.That(Directory.GetFiles(refused, "*.batch.json.gz"), Has.Length.EqualTo(1), "a set-aside batch is not sent again by itself");
        Assert.That(Audit(centre.Db), Has.Some.EqualTo("sensor-too-large"));
    }

    [Test]
    public async Task ReportedVerdicts_AreJudgedAgainByTheCentre_SoASensorCannotSanctionAServer()
    {
        using var centre = StartCentre();
        var url = await Ready(centre);
        var batch = new
        {
            sensor = "rogue", source = "live:eth0", key = "session-1", sequence = 1, scannedAt = "2026-12-01T10:00:00Z", size = 0,
            stats = new { packets = 10, bytes = 1000, flows = 1, malformed = 0, analyzerFaults = 0 },
            findings = new[]
            {
                new
                {
                    endpoint = new { address = "10.9.9.9", port = 8080, path = "/mcp" }, verdict = "sanctioned", confidence = 1.0,
                    verdictReason = "trust me", flows = 3, firstSeen = "2026-12-01T09:00:00Z", lastSeen = "2026-12-01T09:30:00Z",
                    transport = "streamable-http",
                    evidence = new[]
                    {
                        new { rule = "mcp-initialize-request", detail = "method=initialize", firstSeen = "2026-12-01T09:00:00Z", lastSeen = "2026-12-01T09:00:00Z" },
                        new { rule = "mcp-initialize-result", detail = "protocolVersion", firstSeen = "2026-12-01T09:00:00Z", lastSeen = "2026-12-01T09:00:00Z" },
                        new { rule = "made-up-decisive-rule", detail = "trust me", firstSeen = "2026-12-01T09:00:00Z", lastSeen = "2026-12-01T09:00:00Z" },
                    },
                },
            },
        };
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/sensors/results")
        {
            Content = new StringContent(JsonSerializer.Serialize(batch), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        using var conn = Open(centre.Db);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "select Verdict from findings where Address = '10.9.9.9'";
        Assert.That(cmd.ExecuteScalar(), Is.EqualTo("shadow"),
            "the centre's rules decide: an initialize request and result are shadow MCP, whatever the sensor said");
    }

    [Test]
    public async Task ClaimTheSensorHeld_StaysSuspectedAtTheCentre_SoTheSanctionedPathIsNotBlockedAsShadow()
    {
        // MCP traffic with the sanctioned name as Host and no DNS answer in the capture: the real server seen without its
        // lookup (cached DNS) looks exactly like a spoof, so the sensor holds it at suspected; the centre must not raise
        // it to shadow, which a `verdicts: [shadow]` policy would block on the sanctioned path.
        var settings = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(settings, """{ "sanctioned": [ { "host": "mcp.corp.example", "reason": "the portal" } ] }""");
        using var centre = ServeProcess.Start([], _ => new()
        {
            ["SHADOWMCP_Sensors__IngestTokens__0"] = Token, ["SHADOWMCP_Sensor__DetectionConfig"] = settings,
        });
        var url = await Ready(centre);
        var pcap = Path.Combine(_dir, "fronted.pcap");
        Sanctioned.FrontedSessionCapture.Write(pcap, "10.66.0.9", "mcp.corp.example", dnsAnswer: null);

        var r = CliProcess.Run("scan", pcap, "--config", settings, "--format", "json", "--report-to", url,
            "--token-file", TokenFile, "--sensor-name", "edge-1", "--spool", Spool);

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var conn = Open(centre.Db);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "select Verdict from findings where Address = '10.66.0.9'";
        Assert.That(cmd.ExecuteScalar(), Is.EqualTo("suspected"));
    }

    [Test]
    public async Task WhatTheSensorsLimitsGaveUp_ReachesTheCentre()
    {
        // The sensor's resolver is not on its trusted list: the answer for the sanctioned name is ignored and counted.
        // That count (like endpoints given up in a flood) used to stay on the sensor: the centre saw a quiet capture.
        var settings = Path.Combine(_dir, "shadowmcp.json");
        File.WriteAllText(settings, """{ "trustedResolvers": ["192.0.2.53"], "sanctioned": [ { "host": "mcp.corp.example", "reason": "the portal" } ] }""");
        using var centre = StartCentre();
        var url = await Ready(centre);
        var pcap = Path.Combine(_dir, "fronted.pcap");
        Sanctioned.FrontedSessionCapture.Write(pcap, "10.66.0.9", "mcp.corp.example", dnsAnswer: "10.66.0.9");

        var r = CliProcess.Run("scan", pcap, "--config", settings, "--format", "json", "--report-to", url,
            "--token-file", TokenFile, "--sensor-name", "edge-1", "--spool", Spool);

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        Assert.That(JsonDocument.Parse(r.Stdout).RootElement.GetProperty("stats").GetProperty("untrustedResolverAnswers").GetInt64(), Is.EqualTo(1));
        using var conn = Open(centre.Db);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "select UntrustedResolverAnswers, EndpointsEvicted from scanned_files where Path like 'sensor:edge-1/%'";
        using var row = cmd.ExecuteReader();
        Assert.That(row.Read(), Is.True, "the sensor's capture reached the centre");
        Assert.That((row.GetInt64(0), row.GetInt64(1)), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public async Task StatsMissingOrNegative_AreRefusedWithTheFieldNamed()
    {
        using var centre = StartCentre();
        var url = await Ready(centre);
        using var http = new HttpClient();

        async Task<(HttpStatusCode Status, string Body)> Post(string stats)
        {
            var body = $$"""{"sensor":"edge-1","source":"live:eth0","key":"k1","stats":{{stats}},"findings":[]}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/sensors/results")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var negative = await Post("""{"packets":10,"endpointsEvicted":-5}""");
        Assert.That(negative.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(negative.Body, Does.Contain("stats.endpointsEvicted: negative"));
        var missing = await Post("null");
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(missing.Body, Does.Contain("stats: missing"));
        Assert.That(Sources(centre.Db), Is.Empty);
        Assert.That(Audit(centre.Db), Has.Some.EqualTo("sensor-invalid"));
        // A body from a sensor that predates the counters (no such fields) is stored, with zeros.
        var older = await Post("""{"packets":10,"bytes":100,"flows":1,"malformed":0,"analyzerFaults":0}""");
        Assert.That(older.Status, Is.EqualTo(HttpStatusCode.OK), older.Body);
    }

    [Test]
    public async Task FindingsNull_IsRefusedAndAudited_NotAServerError()
    {
        // "required" only asks that the field be present: null got past the parser and the check of its count threw.
        using var centre = StartCentre();
        var url = await Ready(centre);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/sensors/results")
        {
            Content = new StringContent("""{"sensor":"edge-1","source":"live:eth0","key":"k1","stats":{},"findings":null}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("findings: missing"));
        Assert.That(Audit(centre.Db), Has.Some.EqualTo("sensor-invalid"));
    }

    [Test]
    public async Task HostileBodies_AreRefusedWithAReason_AndAudited()
    {
        using var centre = StartCentre();
        var url = await Ready(centre);
        using var http = new HttpClient();

        async Task<(HttpStatusCode Status, string Body)> Post(byte[] body, bool gzip)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/sensors/results") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (gzip) request.Content.Headers.ContentEncoding.Add("gzip");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        // 80 MiB of JSON whitespace compress to well under 1 MiB and parse as nothing yet: the limit counts what comes
        // out of the decompressor, not what came over the wire.
        using var bomb = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(bomb, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var spaces = Enumerable.Repeat((byte)' ', 1 << 20).ToArray();
            for (var i = 0; i < 80; i++) gz.Write(spaces);
        }
        var (bombStatus, _) = await Post(bomb.ToArray(), gzip: true);
        Assert.That(bombStatus, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));

        var (badStatus, badBody) = await Post(Encoding.UTF8.GetBytes("{\"sensor\": \"x\", \"findings\": ["), gzip: false);
        Assert.That(badStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(badBody, Does.Contain("not a sensor batch"));

        var (controlStatus, controlBody) = await Post(Encoding.UTF8.GetBytes(
            "{\"sensor\":\"a\\u0007b\",\"source\":\"s\",\"key\":\"k\",\"stats\":{},\"findings\":[]}"), gzip: false);
        Assert.That(controlStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(controlBody, Does.Contain("sensor: must be 1 to 128 ASCII letters"));

        Assert.That(Audit(centre.Db), Is.SupersetOf(new[] { "sensor-too-large", "sensor-invalid" }));
        Assert.That(Sources(centre.Db), Is.Empty);
    }

    internal static Task<string> ReadyAsync(ServeProcess centre) => Ready(centre);

    private static async Task<string> Ready(ServeProcess centre)
    {
        var url = $"http://127.0.0.1:{centre.Port}";
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90); // hang guard only
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode) return url;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        Assert.Fail("serve did not come up: " + centre.Output);
        return url;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener is disposed
    }

    private static SqliteConnection Open(string db)
    {
        var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        conn.Open();
        return conn;
    }

    private static (long Findings, long Flows) Totals(string db)
    {
        using var conn = Open(db);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "select count(*), coalesce(sum(Flows), 0) from findings";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    private static string[] Sources(string db) => [.. SourceIdsInOrder(db).Order(StringComparer.Ordinal)];

    private static List<string> SourceIdsInOrder(string db)
    {
        using var conn = Open(db);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "select Path from scanned_files where Path like 'sensor:%' order by Id";
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    private static List<string> Audit(string db)
    {
        using var conn = Open(db);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "select Outcome from host_ingest_audit order by Id";
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }
}
