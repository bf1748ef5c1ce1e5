using System.Globalization;
using System.Text.Json;

namespace ShadowMcp.Fleet.Bench;

/// <summary>
/// Findings into PostgreSQL, with the real CLI on one capture of N MCP servers (PcapSynth "mcp-many"): `scan --db
/// postgres://` straight into the store, and `scan --report-to` into one `serve` on the store (one sensor, then two
/// sensors at once whose findings merge). `scan --no-store` on the same file is the baseline: the store's share is
/// the difference.
/// </summary>
internal static class IngestBench
{
    public static async Task<int> RunAsync(string server, string pcap)
    {
        var dir = Directory.CreateTempSubdirectory("shadowmcp-fleet-bench-").FullName;
        try
        {
            var none = Fleet.RunCli("scan", pcap, "--no-store", "--format", "json");
            var findings = JsonDocument.Parse(none.Stdout).RootElement.GetProperty("findings").GetArrayLength();
            Console.WriteLine($"capture: {pcap}, {findings} findings (one per MCP server)");
            Console.WriteLine(
                "| run | wall s | CPU s (scan) | CPU s (serve) | findings in store | findings/s (wall) |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Row("scan --no-store (baseline)", none, null, 0, findings);

            var direct = Fleet.CreateDatabase(server, "ingest_direct");
            var scan = Fleet.RunCli("scan", pcap, "--db", direct, "--format", "json");
            Row("scan --db postgres://", scan, null, Stored(direct), findings);
            var again = Fleet.RunCli("scan", pcap, "--db", direct, "--format", "json");
            Row("scan --db postgres:// (same file again: replaces)", again, null, Stored(direct), findings);

            var remote = Fleet.CreateDatabase(server, "ingest_remote");
            var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            var tokenFile = Path.Combine(dir, "sensor.token");
            await File.WriteAllTextAsync(tokenFile, token);
            var port = Fleet.FreePort();
            var serve = await Fleet.StartCliAsync(["serve", "--urls", $"http://127.0.0.1:{port}", "--db", remote],
                ready: null, new Dictionary<string, string>
                {
                    ["SHADOWMCP_Sensors__IngestTokens__0"] = token,
                    ["SHADOWMCP_Admin__AdminToken"] = token,
                    ["SHADOWMCP_Reports__CatchUpOnStart"] = "false",
                });
            try
            {
                var url = $"http://127.0.0.1:{port}";
                await Fleet.WaitUntilOkAsync(url + "/healthz");
                string[] Sensor(string name) => ["scan", pcap, "--format", "json", "--report-to", url,
                    "--token-file", tokenFile, "--sensor-name", name, "--spool", Path.Combine(dir, name + "-spool")];

                var before = Fleet.CpuSeconds(serve);
                var one = Fleet.RunCli(Sensor("site-a"));
                Row("scan --report-to serve, 1 sensor", one, Fleet.CpuSeconds(serve) - before, Stored(remote),
                    findings);

                before = Fleet.CpuSeconds(serve);
                var started = System.Diagnostics.Stopwatch.StartNew();
                var two = await Task.WhenAll(
                    Task.Run(() => Fleet.RunCli(Sensor("site-b"))), Task.Run(() => Fleet.RunCli(Sensor("site-c"))));
                var wall = started.Elapsed.TotalSeconds;
                Row("scan --report-to serve, 2 sensors at once (merge into the same findings)",
                    new Timed(wall, two.Sum(t => t.Cpu), "", ""), Fleet.CpuSeconds(serve) - before, Stored(remote),
                    2 * findings);
                var sources = Fleet.Scalar(remote, "select count(*) from finding_sources");
                Console.WriteLine(
                    $"\nremote store: {Stored(remote)} findings, {sources} finding sources (3 sensors x {findings})");
            }
            finally
            {
                Fleet.Stop(serve);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long Stored(string db) => Fleet.Scalar(db, "select count(*) from findings");

    private static void Row(string what, Timed t, double? serveCpu, long stored, long findings)
    {
        var serve = serveCpu is { } s ? s.ToString("F2", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {t.Wall:F2} | {t.Cpu:F2} | {serve} | {stored} | {findings / t.Wall:F0} |"));
    }
}
