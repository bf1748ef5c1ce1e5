using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Writers;

// Builds a store with 20 000 findings and 1 000 000 hourly activity rows over 12 weeks (bulk inserts, no scanner),
// then times the weekly report for all four formats together. Usage: dotnet run -c Release [-- DIR] [--reuse]
const int Findings = 20_000, ActivityRows = 1_000_000, Weeks = 12;
var dir = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? Path.Combine(Path.GetTempPath(), "shadowmcp-report-bench");
Directory.CreateDirectory(dir);
var db = Path.Combine(dir, "bench.db");
var reuse = args.Contains("--reuse") && File.Exists(db); // time the report again on the store a previous run built
if (!reuse)
{
    if (File.Exists(db)) File.Delete(db);
    using (FindingStore.Open(db)) { }

    var start = new DateTime(2026, 9, 7, 0, 0, 0, DateTimeKind.Utc); // Monday of 2026-W37; the report is for W48.
    var rng = new Random(42);
    var fill = Stopwatch.StartNew();
    using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
    {
        c.Open();
        using var tx = c.BeginTransaction();
        var verdicts = new[] { "shadow", "shadow", "shadow", "suspected", "sanctioned" };
        using (var file = c.CreateCommand())
        {
            file.CommandText = "INSERT INTO scanned_files (Id, Sha256, Path, Size, ScannedAt, Packets, Bytes, Flows, Malformed) VALUES (1, 'bench', 'bench.pcap', 0, '2026-11-30 00:00:00', 0, 0, 0, 0)";
            file.ExecuteNonQuery();
        }
        using var f = c.CreateCommand();
        f.CommandText = "INSERT INTO findings (Id, EndpointKey, Address, Port, Path, Transport, Verdict, Confidence, ServerName, ServerVersion, Flows, FirstSeen, LastSeen, HostsJson, ProtocolVersionsJson, ClientsJson, ClientAppsJson, ToolsJson, UpdatedAt) " +
                        "VALUES ($id, $key, $addr, 8000, '/mcp', 'streamable-http', $v, 0.9, $name, '1.0', 10, $first, $last, '[]', '[\"2025-06-18\"]', $clients, '[]', '[]', $last)";
        var p = new[] { "$id", "$key", "$addr", "$v", "$name", "$first", "$last", "$clients" }.Select(n => f.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        using var e = c.CreateCommand();
        e.CommandText = "INSERT INTO evidence (FindingId, Rule, Title, Level, Detail, Weight, Count, FirstSeen, LastSeen, Example) VALUES ($id, $rule, 'MCP initialize request', 'high', 'method=initialize', 0.9, $count, $first, $last, 'POST /mcp {\"method\":\"initialize\"}')";
        var ep = new[] { "$id", "$rule", "$count", "$first", "$last" }.Select(n => e.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        var spans = new (DateTime First, DateTime Last)[Findings + 1];
        for (var id = 1; id <= Findings; id++)
        {
            var first = start.AddHours(rng.Next(Weeks * 7 * 24 - 48));
            var last = first.AddHours(rng.Next(1, Math.Max(2, (int)(start.AddDays(Weeks * 7) - first).TotalHours)));
            spans[id] = (first, last);
            var ip = $"10.{id / 65536}.{id / 256 % 256}.{id % 256}";
            p[0].Value = id; p[1].Value = $"{ip}:8000/mcp"; p[2].Value = ip; p[3].Value = verdicts[id % verdicts.Length];
            p[4].Value = $"server-{id % 97}"; p[5].Value = Fmt(first); p[6].Value = Fmt(last);
            p[7].Value = $"[\"172.16.{id % 50}.{id % 200}\",\"172.16.{(id + 7) % 50}.{id % 90}\"]";
            f.ExecuteNonQuery();
            for (var r = 0; r < 2; r++)
            {
                ep[0].Value = id; ep[1].Value = r == 0 ? "mcp-initialize-request" : "mcp-session-header"; ep[2].Value = 25; ep[3].Value = Fmt(first); ep[4].Value = Fmt(last);
                e.ExecuteNonQuery();
            }
        }
        using var a = c.CreateCommand();
        a.CommandText = "INSERT INTO finding_activity (FindingId, ScannedFileId, Hour, Flows) VALUES ($id, 1, $hour, $flows)";
        var ap = new[] { "$id", "$hour", "$flows" }.Select(n => a.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        for (var i = 0; i < ActivityRows; i++)
        {
            var id = i % Findings + 1;
            var (first, last) = spans[id];
            var hour = first.AddHours(rng.Next((int)(last - first).TotalHours + 1));
            ap[0].Value = id; ap[1].Value = Fmt(hour); ap[2].Value = rng.Next(1, 5);
            a.ExecuteNonQuery();
        }
        // A quarter of the findings triaged, in every status, so the report's triage section has real work.
        using var t = c.CreateCommand();
        t.CommandText = "INSERT INTO finding_triage (EndpointKey, Status, Owner, StatusSince, StatusBy, UpdatedAt, UpdatedBy) VALUES ($key, $status, $owner, $at, 'bench', $at, 'bench')";
        var tp = new[] { "$key", "$status", "$owner", "$at" }.Select(n => t.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        var statuses = new[] { "under_review", "approved", "blocked", "false_positive", "new" };
        for (var id = 4; id <= Findings; id += 4)
        {
            tp[0].Value = $"10.{id / 65536}.{id / 256 % 256}.{id % 256}:8000/mcp"; tp[1].Value = statuses[id / 4 % statuses.Length];
            tp[2].Value = $"owner-{id % 13}"; tp[3].Value = Fmt(spans[id].First);
            t.ExecuteNonQuery();
        }
        tx.Commit();
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store: {Findings} findings, {ActivityRows} activity rows over {Weeks} weeks, filled in {fill.Elapsed.TotalSeconds:0.0} s"));
}

var period = ReportPeriod.ForWeek("2026-W48", TimeZones.Find("Europe/Berlin"));
var generator = new ReportGenerator(ReportSources.NotConfigured());
for (var run = 1; run <= 2; run++)
{
    // The model alone (queries + aggregation), then the whole job: model plus all four formats, written to disk.
    var watch = Stopwatch.StartNew();
    await generator.GenerateAsync(db, period, [], null, CancellationToken.None);
    var model = watch.Elapsed;
    // CPU time beside wall time: on a shared machine wall time says more about the neighbours than the report.
    var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    watch.Restart();
    var (doc, files) = await generator.GenerateAsync(db, period, ReportFormats.All, null, CancellationToken.None);
    ReportGenerator.WriteTo(Path.Combine(dir, "out"), files);
    watch.Stop();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run}: weekly report 2026-W48, all formats: {watch.Elapsed.TotalSeconds:0.00} s ({cpu.TotalSeconds:0.00} s CPU; model alone {model.TotalSeconds:0.00} s; {doc.Servers.Count} shadow servers, {doc.Findings.Count} findings, {doc.Triage?.Overdue} overdue, {files.Sum(x => x.Content.Length) / 1024} KiB)"));
}
SqliteConnection.ClearAllPools();

static string Fmt(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
