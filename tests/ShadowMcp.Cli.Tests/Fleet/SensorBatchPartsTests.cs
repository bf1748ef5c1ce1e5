using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Cli.Fleet;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// A snapshot bigger than the centre takes in one body: a real `serve` whose Sensors:MaxBodyBytes is 1 MiB and a
/// remote sink that sends at most 256 KiB of JSON per body. Ten thousand findings arrive in several parts, each
/// exactly once; parts sent again (their acknowledgements lost) change nothing; a newer, smaller snapshot replaces
/// every part of the older one.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class SensorBatchPartsTests
{
    private const string Token = "sensor-token-for-tests-0123456789"; // DevSkim: ignore DS173237
    private const int Findings = 10_000;
    private string _spool = null!;

    [SetUp]
    public void SetUp() => _spool = Directory.CreateTempSubdirectory("shadowmcp-parts-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_spool, recursive: true);
    }

    [Test]
    public async Task ManyFindings_AreSentInPartsUnderTheCentresLimit_AndEachArrivesExactlyOnce()
    {
        using var centre = ServeProcess.Start([], _ => new()
        {
            ["SHADOWMCP_Sensors__IngestTokens__0"] = Token, ["SHADOWMCP_Sensors__MaxBodyBytes"] = (1 << 20).ToString(),
        });
        var url = await RemoteSensorTests.ReadyAsync(centre);
        using var http = new HttpClient();
        var sink = new RemoteResultSink(new RemoteSinkOptions(RemoteSinkOptions.IngestUri(url), Token, "site-a", _spool)
            { MaxBatchBytes = 256 << 10 }, http, NullLogger.Instance);
        var at = new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc).AddTicks(1234567);

        sink.Spool("eth0", "live:big", 0, new ScanStats(), null, Many(Findings, at), at);
        var parts = Directory.GetFiles(_spool, "*.batch.json.gz").Order(StringComparer.Ordinal).ToArray();
        Assert.That(parts, Has.Length.GreaterThan(4), "ten thousand findings need several bodies of 256 KiB");
        var copies = parts.Select(p => (p, File.ReadAllBytes(p))).ToList();
        Assert.That(sink.Deliver(CancellationToken.None), Is.True);
        Assert.That(Directory.Exists(Path.Combine(_spool, "refused")), Is.False, "no body was refused");
        Assert.That(Count(centre.Db, "select count(*) from finding_sources"), Is.EqualTo(Findings));
        Assert.That(Count(centre.Db, "select count(distinct FindingId) from finding_sources"), Is.EqualTo(Findings));
        Assert.That(Count(centre.Db, "select count(*) from scanned_files where Path like 'sensor:%'"), Is.EqualTo(1));
        Assert.That(Count(centre.Db, "select count(*) from host_ingest_audit where Outcome = 'sensor-stored'"), Is.EqualTo(parts.Length));

        // Their acknowledgements lost: the last parts come again, as after a sensor restart. Nothing is added twice.
        foreach (var (path, bytes) in copies.Skip(1)) File.WriteAllBytes(path, bytes);
        Assert.That(sink.Deliver(CancellationToken.None), Is.True);
        Assert.That(Count(centre.Db, "select count(*) from finding_sources"), Is.EqualTo(Findings));
        Assert.That(Count(centre.Db, "select count(distinct FindingId) from finding_sources"), Is.EqualTo(Findings));

        // A newer snapshot with fewer findings replaces every part of the older one.
        sink.Spool("eth0", "live:big", 0, new ScanStats(), null, Many(3_000, at.AddMinutes(1)), at.AddMinutes(1));
        Assert.That(sink.Deliver(CancellationToken.None), Is.True);
        Assert.That(Count(centre.Db, "select count(*) from finding_sources"), Is.EqualTo(3_000));
    }

    [Test]
    public void Split_KeepsEveryFindingOnceInOrder_WithinTheLimit()
    {
        var at = DateTime.UtcNow;
        var batch = new SensorBatch
        {
            Sensor = "site-a", Source = "eth0", Key = "live:1", ScannedAt = at, Stats = SensorBatchStats.From(new ScanStats()),
            Findings = [.. Many(2_000, at).Select(Core.Serialization.FindingDocument.From)],
        };
        var parts = SensorBatchParts.Split(batch, 64 << 10);
        Assert.That(parts.Select(p => (p.Part, p.Parts)), Is.EqualTo(Enumerable.Range(1, parts.Count).Select(i => (i, parts.Count))));
        Assert.That(parts.SelectMany(p => p.Findings), Is.EqualTo(batch.Findings));
        foreach (var part in parts)
            Assert.That(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(part, Core.Serialization.JsonDefaults.Options).Length,
                Is.LessThanOrEqualTo(64 << 10));
        Assert.That(SensorBatchParts.Split(batch, long.MaxValue), Is.EqualTo(new[] { batch }));
    }

    private static List<Finding> Many(int count, DateTime at) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var f = new Finding
            {
                Endpoint = new Endpoint($"10.{i / 65536}.{i / 256 % 256}.{i % 256}", 8000, null, "/mcp"), Verdict = Verdict.Shadow,
                Confidence = 0.9, Flows = 1, FirstSeen = at, LastSeen = at, Server = new ServerInfo($"server-{i}", "1.0"),
                Transport = Transports.StreamableHttp,
            };
            f.Clients.Add("10.200.0.8");
            f.Evidence.Add(new Evidence
            {
                Rule = "mcp-initialize-request", Title = "MCP initialize request", Level = "high", Weight = 0.9, Count = 1,
                Detail = "method=initialize", FirstSeen = at, LastSeen = at,
            });
            return f;
        }),
    ];

    private static long Count(string db, string sql)
    {
        using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }
}
