using Npgsql;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// A real outage of one PostgreSQL database: connections to it are forbidden and those open are ended, as a server
/// restart or a failover would, while the rest of the test server goes on.
/// </summary>
internal static class AuditOutage
{
    public static async Task StartAsync(PortalStore store) => await AdminAsync(store,
        "ALTER DATABASE \"{0}\" WITH ALLOW_CONNECTIONS false",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{0}' AND pid <> pg_backend_pid()");

    public static async Task EndAsync(PortalStore store) => await AdminAsync(store, "ALTER DATABASE \"{0}\" WITH ALLOW_CONNECTIONS true");

    /// <summary>Returns once the log's writer has seen a batch refused (it is then retrying it).</summary>
    public static async Task WaitUntilFailingAsync(AuditLog log)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!log.StoreFailing) await Task.Delay(10, deadline.Token);
    }

    private static async Task AdminAsync(PortalStore store, params string[] statements)
    {
        var database = new NpgsqlConnectionStringBuilder(store.Target.Location).Database!;
        await using var connection = new NpgsqlConnection(LocalPostgres.Shared.ConnectionString("postgres"));
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var cmd = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, database), connection);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
