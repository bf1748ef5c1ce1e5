using System.Diagnostics;
using Npgsql;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Bench;

/// <summary>
/// `--audit`: how many audit rows per second the writer commits, with nothing else running: N rows appended at
/// once through <see cref="AuditLog"/> (so the writer always has full batches), timed until the last commits,
/// into a fresh SQLite file and, with `--db postgres://...`, a fresh database on that server. Prints wall time
/// and this process's CPU time: on a loaded machine wall time alone says little.
/// </summary>
internal static class AuditWriteBench
{
    public static async Task<int> RunAsync(int rows, string? postgres)
    {
        var dir = Path.Combine(Path.GetTempPath(), "shadowmcp-bench-audit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var keys = KeysIn(dir);
            await MeasureAsync("sqlite", new PortalStore(Path.Combine(dir, "audit.db")), keys, rows);
            if (postgres is not null)
            {
                var database = "audit_bench_" + Guid.NewGuid().ToString("N")[..8];
                await ExecAsync(postgres, $"CREATE DATABASE {database}");
                try
                {
                    var url = new UriBuilder(postgres) { Path = "/" + database }.Uri.ToString();
                    await MeasureAsync("postgresql", new PortalStore(url), keys, rows);
                }
                finally
                {
                    NpgsqlConnection.ClearAllPools();
                    await ExecAsync(postgres, $"DROP DATABASE {database} WITH (FORCE)");
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    private static async Task MeasureAsync(string engine, PortalStore store, AuditKeys keys, int rows)
    {
        await using var log = new AuditLog(store, TimeProvider.System, keys.HmacKey, null);
        // Warm up: the connection, the statements and the JIT.
        await log.AppendAsync(Record(0));
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var appends = new Task<long>[rows];
        for (var i = 0; i < rows; i++) appends[i] = log.AppendAsync(Record(i + 1));
        await Task.WhenAll(appends);
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        Console.WriteLine($"{engine,-10} {rows} rows: {clock.Elapsed.TotalSeconds:F2} s wall, {rows / clock.Elapsed.TotalSeconds:F0} rows/s," +
            $" CPU {cpu.TotalSeconds:F2} s ({cpu.TotalMilliseconds * 1000 / rows:F0} µs/row)");
        var problems = AuditVerifier.Verify(store, keys, null);
        if (problems.Count > 0) throw new InvalidOperationException($"{engine}: chain does not verify: {problems[0].Detail}");
    }

    private static AuditKeys KeysIn(string dir)
    {
        File.WriteAllText(Path.Combine(dir, AuditKeys.DefaultKeyName), Convert.ToHexStringLower(new byte[32]));
        return AuditKeys.Beside(dir);
    }

    private static AuditRecord Record(int i) => new($"user{i % 50}", "dev", "bench-client", "1.0", "up", "tools/call", "up_echo",
        42, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", null, 1.25, "ok", "group 'dev'", null);

    private static async Task ExecAsync(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(ShadowMcp.Core.Store.StoreTarget.Parse(url).Location);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
