using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// The remote-sensor endpoint attacked by whoever holds (or stole) a sensor token, over real HTTP against a real
/// `serve` on SQLite: hostile field values, one sensor writing as another, a replay pinned in the future, duplicate
/// keys, bodies over Kestrel's own limit, a slot held by a slow body, and tokens kept out of logs and answers.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class SensorIngestAttackTests
{
    private const string Token = "sensor-token-for-tests-0123456789"; // DevSkim: ignore DS173237
    private const string TokenA = "site-a-token-for-tests-0123456789"; // DevSkim: ignore DS173237
    private const string TokenB = "site-b-token-for-tests-0123456789"; // DevSkim: ignore DS173237
    private static readonly DateTime Now = DateTime.UtcNow;

    [TearDown]
    public void TearDown() => SqliteConnection.ClearAllPools();

    private static ServeProcess StartCentre(Dictionary<string, string>? more = null) => ServeProcess.Start([], _ =>
    {
        var env = new Dictionary<string, string> { ["SHADOWMCP_Sensors__IngestTokens__0"] = Token };
        foreach (var (k, v) in more ?? []) env[k] = v;
        return env;
    });

    [Test]
    public async Task ImpossibleValues_AreRefusedNamingTheField_AndWhatWasStoredStays()
    {
        using var centre = StartCentre();
        var url = await RemoteSensorTests.ReadyAsync(centre);
        var first = await Post(url, Token, Batch());
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK), first.Body);
        var stored = Rows(centre.Db, "select Address, Port, Host, Path, Flows, LastSeen from findings");

        (string Field, Action<JsonObject> Change)[] cases =
        [
            ("findings[0].endpoint.address", b => Endpoint(b)["address"] = "not-an-ip"),
            ("findings[0].endpoint.address", b => Endpoint(b)["address"] = "fe80::1%eth0"),
            ("findings[0].endpoint.address", b => Endpoint(b)["address"] = "1"),
            ("findings[0].endpoint.port", b => Endpoint(b)["port"] = 70000),
            ("findings[0].endpoint.port", b => Endpoint(b)["port"] = -1),
            ("findings[0].flows", b => Finding(b)["flows"] = -3),
            ("findings[0].clients[0]", b => Finding(b)["clients"] = new JsonArray("10.0.0.5\nX")),
            ("findings[0].evidence[0].count", b => Evidence(b)["count"] = -1),
            ("findings[0].evidence[0].weight", b => Evidence(b)["weight"] = 1e300),
            ("findings[0].confidence", b => Finding(b)["confidence"] = "NaN"),
            ("findings[0].firstSeen", b => Finding(b)["firstSeen"] = "9999-01-01T00:00:00Z"),
            ("findings[0].lastSeen", b => Finding(b)["lastSeen"] = Iso(Now.AddDays(-30))),
            ("findings[0].evidence[0].lastSeen", b => Evidence(b)["lastSeen"] = "9999-01-01T00:00:00Z"),
            ("findings[0].hosts", b => Finding(b)["hosts"] = new JsonArray([.. Enumerable.Range(0, 5000).Select(i => (JsonNode)$"h{i}.example")])),
            ("findings[0].evidence", b => Finding(b)["evidence"] = new JsonArray([.. Enumerable.Range(0, 5000).Select(_ => Evidence(Batch()).DeepClone())])),
            // A snapshot dated in the far future would make every later real batch of the capture "stale": a pin.
            ("scannedAt", b => b["scannedAt"] = "9999-12-31T00:00:00Z"),
            ("sensor", b => b["sensor"] = "a\u0007b\nforged audit line"),
        ];
        foreach (var (field, change) in cases)
        {
            var body = Batch();
            change(body);
            var answer = await Post(url, Token, body);
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest), $"{field}: {answer.Body}");
            Assert.That(answer.Body, Does.Contain(field), "the refusal names the field");
        }

        Assert.That(Rows(centre.Db, "select Address, Port, Host, Path, Flows, LastSeen from findings"), Is.EqualTo(stored),
            "what was stored before stays as it was");
        Assert.That(Rows(centre.Db, "select Outcome from host_ingest_audit where Outcome = 'sensor-invalid'"), Has.Count.EqualTo(cases.Length));
        Assert.That(Rows(centre.Db, "select coalesce(HostName, '') || coalesce(Detail, '') || coalesce(ScanId, '') from host_ingest_audit")
            .SelectMany(r => r).OfType<string>().Any(v => v.Any(char.IsControl)), Is.False, "no control character reaches the audit");
        Assert.That(centre.Output, Does.Not.Contain("forged audit line\n").And.Not.Contain("\u0007"), "nor the log");

        // The real sensor's next snapshot is taken, not dropped as older than a forged one.
        var next = Batch();
        next["scannedAt"] = Iso(Now.AddMinutes(1));
        var later = await Post(url, Token, next);
        Assert.That(later.Body, Does.Contain("\"stored\""));
    }

    [Test]
    public async Task TextFromTheWire_IsEscapedAndCut_AndTheFindingIsStillStored()
    {
        // Names, paths and tool names are what a client on the watched network sent: refusing the batch for them would
        // let that client hide every finding of the sensor's capture. They are stored escaped and cut, and named.
        using var centre = StartCentre();
        var url = await RemoteSensorTests.ReadyAsync(centre);
        var body = Batch();
        Endpoint(body)["host"] = "evil\r\nhost.example";
        Endpoint(body)["path"] = "/mcp\u2028next";
        Finding(body)["hosts"] = new JsonArray("evil\r\nhost.example");
        Finding(body)["server"] = new JsonObject { ["name"] = "srv\nX-Injected: 1", ["version"] = "1\u0000" };
        Finding(body)["tools"] = new JsonArray("t\u0085x", new string('a', 100_000));
        Evidence(body)["detail"] = "method=initialize\r\nforged";

        var answer = await Post(url, Token, body);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body);
        Assert.That(answer.Body, Does.Contain("findings[0].endpoint.host").And.Contain("findings[0].tools[1]"),
            "the answer names what was escaped or cut");
        var all = AllText(centre.Db);
        Assert.That(all.Where(v => v.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029')), Is.Empty,
            "no control character or line separator is stored anywhere");
        Assert.That(all.Max(v => v.Length), Is.LessThan(10_000), "no 100,000-character name is stored");
        Assert.That(Rows(centre.Db, "select Host, Path from findings where Address = '10.9.9.9'").Single(),
            Is.EqualTo(new object[] { @"evil\u000d\u000ahost.example", @"/mcp\u2028next" }));
        Assert.That(Rows(centre.Db, "select Detail from host_ingest_audit where Outcome = 'sensor-stored'").Single()[0] as string,
            Does.Contain("findings[0].endpoint.host"), "the audit names the fields too");
    }

    [Test]
    public async Task ABoundToken_ReportsOnlyAsItsSensor_AndAnUnboundOneCannotTakeABoundName()
    {
        using var centre = StartCentre(new()
        {
            ["SHADOWMCP_Sensors__SensorTokens__site-a"] = TokenA,
            ["SHADOWMCP_Sensors__SensorTokens__site-b"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TokenB))),
        });
        var url = await RemoteSensorTests.ReadyAsync(centre);
        var b = await Post(url, TokenB, Batch(sensor: "site-b"));
        Assert.That(b.Status, Is.EqualTo(HttpStatusCode.OK), b.Body);
        var stored = Rows(centre.Db, "select Path from scanned_files where Path like 'sensor:%'");

        // site-a's token (or the shared, unbound one) replacing site-b's capture with nothing.
        foreach (var token in new[] { TokenA, Token })
        {
            var forged = Batch(sensor: "site-b");
            forged["findings"] = new JsonArray();
            var answer = await Post(url, token, forged);
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Body);
            Assert.That(answer.Body, Does.Contain("sensor"));
        }
        Assert.That(Rows(centre.Db, "select Path from scanned_files where Path like 'sensor:%'"), Is.EqualTo(stored));
        Assert.That(Rows(centre.Db, "select count(*) from finding_sources").Single()[0], Is.EqualTo(1L), "site-b's finding stays");
        Assert.That(Rows(centre.Db, "select Outcome from host_ingest_audit where Outcome = 'sensor-forbidden'"), Has.Count.EqualTo(2));

        Assert.That((await Post(url, TokenA, Batch(sensor: "site-a"))).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Post(url, Token, Batch(sensor: "site-c"))).Status, Is.EqualTo(HttpStatusCode.OK),
            "an unbound token still reports under a name no token is bound to");
        Assert.That(centre.Output, Does.Not.Contain(TokenA).And.Not.Contain(TokenB).And.Not.Contain(Token), "no token is logged");
    }

    [Test]
    public async Task ASensorNameWithTheSeparator_CannotReachAnotherSensorsCapture()
    {
        // "sensor:" + NAME + ":" + KEY names a capture: the sensor "site-b:live" with key "s1" was site-b's "live:s1".
        using var centre = StartCentre();
        var url = await RemoteSensorTests.ReadyAsync(centre);
        Assert.That((await Post(url, Token, Batch(sensor: "site-b", key: "live:s1"))).Status, Is.EqualTo(HttpStatusCode.OK));

        var forged = Batch(sensor: "site-b:live", key: "s1");
        forged["findings"] = new JsonArray();
        var answer = await Post(url, Token, forged);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest), answer.Body);
        Assert.That(answer.Body, Does.Contain("sensor"));
        Assert.That(Rows(centre.Db, "select count(*) from finding_sources").Single()[0], Is.EqualTo(1L), "site-b's finding stays");
    }

    [Test]
    public async Task DuplicateKeysAndDeepNesting_AreRefused_AndABodyOverKestrelsDefaultButUnderTheLimitIsTaken()
    {
        using var centre = StartCentre(new() { ["SHADOWMCP_Sensors__MaxBodyBytes"] = (48 << 20).ToString(CultureInfo.InvariantCulture) });
        var url = await RemoteSensorTests.ReadyAsync(centre);

        // A proxy or log that reads the first "sensor" sees site-a; a parser that keeps the last one stores site-b.
        var json = Batch(sensor: "site-a").ToJsonString();
        var twice = "{\"sensor\":\"site-a\"," + json[1..].Replace("\"sensor\":\"site-a\"", "\"sensor\":\"site-b\"", StringComparison.Ordinal);
        var duplicate = await Post(url, Token, Encoding.UTF8.GetBytes(twice));
        Assert.That(duplicate.Status, Is.EqualTo(HttpStatusCode.BadRequest), duplicate.Body);
        Assert.That(duplicate.Body, Does.Contain("sensor"));

        var deep = "{\"extra\":" + new string('[', 5000) + new string(']', 5000) + "," + json[1..];
        Assert.That((await Post(url, Token, Encoding.UTF8.GetBytes(deep))).Status, Is.EqualTo(HttpStatusCode.BadRequest));

        // 33 MB of plain JSON: under Sensors:MaxBodyBytes (48 MiB), over Kestrel's own 30,000,000-byte default.
        var padded = Encoding.UTF8.GetBytes(new string(' ', 33_000_000) + json);
        var big = await Post(url, Token, padded);
        Assert.That(big.Status, Is.EqualTo(HttpStatusCode.OK), big.Body);
        Assert.That(Rows(centre.Db, "select Outcome from host_ingest_audit order by Id").Select(r => (string)r[0]!).ToList(),
            Is.EqualTo(new[] { "sensor-invalid", "sensor-invalid", "sensor-stored" }), "every call is audited");
    }

    [Test]
    public async Task ABodyThatNeverComes_HoldsItsSlotOnlyUntilTheBodyTimeout_AndOthersAreToldToComeBack()
    {
        using var centre = StartCentre(new()
        {
            ["SHADOWMCP_Sensors__MaxConcurrentBatches"] = "1", ["SHADOWMCP_Sensors__BodyTimeout"] = "00:00:02",
        });
        var url = await RemoteSensorTests.ReadyAsync(centre);
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only

        // The slow client: headers, "Expect: 100-continue", and then nothing. Kestrel sends "100 Continue" when the
        // endpoint starts reading the body, so once it arrives the endpoint holds the slot.
        using var slow = new TcpClient();
        await slow.ConnectAsync(IPAddress.Loopback, centre.Port, hang.Token);
        var stream = slow.GetStream();
        var head = $"POST /api/sensors/results HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {Token}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), hang.Token);
        var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.That(await reader.ReadLineAsync(hang.Token), Does.StartWith("HTTP/1.1 100"));
        Assert.That(await reader.ReadLineAsync(hang.Token), Is.Empty);

        var busy = await Post(url, Token, Batch());
        Assert.That(busy.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), busy.Body);

        // The slow body is cut off by the endpoint's own deadline, audited, and the slot is free again.
        Assert.That(await reader.ReadLineAsync(hang.Token), Does.StartWith("HTTP/1.1 408"));
        var after = await Post(url, Token, Batch());
        Assert.That(after.Status, Is.EqualTo(HttpStatusCode.OK), after.Body);
        Assert.That(Rows(centre.Db, "select Outcome from host_ingest_audit order by Id").Select(r => (string)r[0]!).ToList(),
            Is.EqualTo(new[] { "sensor-busy", "sensor-timeout", "sensor-stored" }));
    }

    [Test]
    public async Task AStoreThatFailsAWrite_Answers503WithoutItsDetails_AndTheAuditKeepsThem()
    {
        using var centre = StartCentre();
        var url = await RemoteSensorTests.ReadyAsync(centre);
        Assert.That((await Post(url, Token, Batch())).Status, Is.EqualTo(HttpStatusCode.OK));
        // A write that fails after the store opened (a full disk, a dropped PostgreSQL connection): here a trigger.
        using (var conn = new SqliteConnection($"Data Source={centre.Db};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "create trigger fail before insert on scanned_files begin select raise(abort, 'disk full at /srv/secret-store'); end";
            cmd.ExecuteNonQuery();
        }

        var answer = await Post(url, Token, Batch(key: "k2"));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the sensor keeps the batch and sends it again: " + answer.Body);
        Assert.That(answer.Body, Does.Not.Contain("secret-store").And.Not.Contain(centre.Db));
        Assert.That(Rows(centre.Db, "select Detail from host_ingest_audit where Outcome = 'sensor-store-error'").Single()[0] as string,
            Does.Contain("disk full at /srv/secret-store"));
    }

    private static JsonObject Batch(string sensor = "site-a", string key = "k1") => new()
    {
        ["sensor"] = sensor, ["source"] = "live:eth0", ["key"] = key, ["sequence"] = 1, ["scannedAt"] = Iso(Now), ["size"] = 0,
        ["stats"] = new JsonObject { ["packets"] = 10, ["bytes"] = 1000, ["flows"] = 1, ["malformed"] = 0, ["analyzerFaults"] = 0 },
        ["findings"] = new JsonArray(new JsonObject
        {
            ["endpoint"] = new JsonObject { ["address"] = "10.9.9.9", ["port"] = 8080, ["host"] = "mcp.example", ["path"] = "/mcp" },
            ["hosts"] = new JsonArray("mcp.example"), ["transport"] = "streamable-http", ["verdict"] = "shadow", ["confidence"] = 0.9,
            ["flows"] = 3, ["firstSeen"] = Iso(Now.AddHours(-1)), ["lastSeen"] = Iso(Now), ["clients"] = new JsonArray("10.0.0.5"),
            ["tools"] = new JsonArray("search"), ["server"] = new JsonObject { ["name"] = "srv", ["version"] = "1.0" },
            ["evidence"] = new JsonArray(new JsonObject
            {
                ["rule"] = "mcp-initialize-request", ["detail"] = "method=initialize", ["weight"] = 0.9, ["count"] = 1,
                ["firstSeen"] = Iso(Now.AddHours(-1)), ["lastSeen"] = Iso(Now),
            }),
        }),
    };

    private static JsonObject Finding(JsonObject batch) => batch["findings"]![0]!.AsObject();
    private static JsonObject Endpoint(JsonObject batch) => Finding(batch)["endpoint"]!.AsObject();
    private static JsonObject Evidence(JsonObject batch) => Finding(batch)["evidence"]![0]!.AsObject();
    private static string Iso(DateTime t) => t.ToString("O", CultureInfo.InvariantCulture);

    private static Task<(HttpStatusCode Status, string Body)> Post(string url, string token, JsonObject batch) =>
        Post(url, token, Encoding.UTF8.GetBytes(batch.ToJsonString()));

    private static async Task<(HttpStatusCode Status, string Body)> Post(string url, string token, byte[] body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/sensors/results") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static List<object?[]> Rows(string db, string sql)
    {
        using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Every text cell of the tables a sensor's batch writes to.</summary>
    private static List<string> AllText(string db)
    {
        var texts = new List<string>();
        foreach (var table in new[] { "findings", "evidence", "finding_sources", "finding_activity", "scanned_files", "host_ingest_audit" })
            texts.AddRange(Rows(db, $"select * from {table}").SelectMany(r => r).OfType<string>());
        return texts;
    }
}
