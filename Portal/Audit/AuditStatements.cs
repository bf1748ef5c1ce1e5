using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// The audit writer's connection and its four statements, made once and reused for every batch. The SQL is the same
/// on SQLite and PostgreSQL (quoted names as EF Core creates them, `@name` parameters); what differs is opening
/// (SQLite's pragmas) and, on PostgreSQL, the lock each batch takes first (<see cref="AuditWriterLock"/>).
/// </summary>
internal sealed class AuditStatements : IAsyncDisposable
{
    private readonly bool _postgres;

    private AuditStatements(DbConnection connection, bool postgres)
    {
        Connection = connection;
        _postgres = postgres;
        SelectHead = Create("""SELECT "Seq", "Hash" FROM portal_audit_head WHERE "Id" = 1""");
        SelectLast = Create("""SELECT "Seq", "Hash" FROM portal_audit ORDER BY "Seq" DESC LIMIT 1""");
        Insert = Create("""
            INSERT INTO portal_audit ("Seq", "Time", "User", "Group", "ClientName", "ClientVersion", "Server", "Method",
                "Tool", "ArgumentBytes", "ArgumentHash", "Arguments", "DurationMs", "Outcome", "Decision", "DlpHits",
                "ExecutionId", "PrevHash", "Hash", "HashKind", "Replica")
            VALUES (@seq, @time, @user, @group, @clientName, @clientVersion, @server, @method, @tool, @argBytes,
                @argHash, @args, @duration, @outcome, @decision, @dlp, @executionId, @prev, @hash, @hashKind, @replica)
            """, "seq", "time", "user", "group", "clientName", "clientVersion", "server", "method", "tool", "argBytes",
            "argHash", "args", "duration", "outcome", "decision", "dlp", "executionId", "prev", "hash", "hashKind", "replica");
        UpsertHead = Create("""
            INSERT INTO portal_audit_head ("Id", "Seq", "Hash") VALUES (1, @seq, @hash)
            ON CONFLICT ("Id") DO UPDATE SET "Seq" = excluded."Seq", "Hash" = excluded."Hash"
            """, "seq", "hash");
    }

    public DbConnection Connection { get; }
    public DbCommand SelectHead { get; }
    public DbCommand SelectLast { get; }
    public DbCommand Insert { get; }
    public DbCommand UpsertHead { get; }

    public static async Task<AuditStatements> OpenAsync(PortalStore store)
    {
        if (store.IsPostgres)
        {
            var pg = new NpgsqlConnection(store.Target.Location);
            await pg.OpenAsync();
            return new AuditStatements(pg, postgres: true);
        }
        var connection = new SqliteConnection($"Data Source={store.Target.Location}");
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
        await pragma.ExecuteNonQueryAsync();
        return new AuditStatements(connection, postgres: false);
    }

    /// <summary>Starts a batch: the transaction every statement runs in, holding the chain for this writer alone.</summary>
    public async Task<DbTransaction> BeginAsync()
    {
        var tx = await Connection.BeginTransactionAsync();
        foreach (var cmd in All) cmd.Transaction = tx;
        if (_postgres) await AuditWriterLock.TakeAsync(Connection, tx);
        return tx;
    }

    private DbCommand[] All => [SelectHead, SelectLast, Insert, UpsertHead];

    private DbCommand Create(string sql, params string[] parameters)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in All) await cmd.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
