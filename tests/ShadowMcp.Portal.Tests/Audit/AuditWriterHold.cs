using Npgsql;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Holds an audit writer on PostgreSQL with a real lock: the replicas' writer lock (<see cref="AuditWriterLock"/>)
/// taken in a transaction of the test's, as another replica in the middle of a batch would hold it.
/// </summary>
internal static class AuditWriterHold
{
    /// <summary>Takes the lock; the log's writer waits at its next batch until the returned transaction ends.</summary>
    public static async Task<NpgsqlTransaction> TakeAsync(PortalStore store)
    {
        var connection = new NpgsqlConnection(store.Target.Location);
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        await using var take = new NpgsqlCommand(AuditWriterLock.TakeSql, connection, tx);
        await take.ExecuteNonQueryAsync();
        return tx;
    }

    /// <summary>Ends a hold from <see cref="TakeAsync"/>: the writers waiting for the lock go on.</summary>
    public static async Task ReleaseAsync(NpgsqlTransaction hold)
    {
        var connection = hold.Connection!;
        await hold.RollbackAsync();
        await connection.DisposeAsync();
    }

    /// <summary>Returns once PostgreSQL shows <paramref name="writers"/> writers waiting for the lock (a log's writer: it has taken its batch from the queue).</summary>
    public static async Task WaitForBlockedWriterAsync(PortalStore store, int writers = 1)
    {
        await using var connection = new NpgsqlConnection(store.Target.Location);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = " +
            "(SELECT oid FROM pg_database WHERE datname = current_database())", connection);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((long)(await waiting.ExecuteScalarAsync(deadline.Token))! < writers)
            await Task.Delay(10, deadline.Token);
    }

    /// <summary>Returns once <paramref name="calls"/> calls wait for room in the log's full queue.</summary>
    public static async Task WaitForWaitingCallsAsync(AuditLog log, int calls)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (log.Waiting < calls) await Task.Delay(10, deadline.Token);
    }
}
