using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// The audit writer's connection and its statements, made once and reused for every batch. The SQL is the same on
/// SQLite and PostgreSQL (quoted names as EF Core creates them). What differs is opening (SQLite's pragmas) and the
/// round trips: SQLite runs in-process, so one prepared INSERT is run per row; PostgreSQL is across a network and
/// holds the replicas' writer lock (<see cref="AuditWriterLock"/>) for the whole batch, so a batch costs three round
/// trips whatever its size: lock and read the chain's end; write every row (one INSERT of unnested column arrays)
/// and the head; commit.
/// </summary>
internal sealed class AuditStatements : IAsyncDisposable
{
    private const string Columns = """
        "Seq", "Time", "User", "Group", "ClientName", "ClientVersion", "Server", "Method", "Tool", "ArgumentBytes",
        "ArgumentHash", "Arguments", "DurationMs", "Outcome", "Decision", "DlpHits", "ExecutionId", "PrevHash", "Hash",
        "HashKind", "Replica"
        """;
    private const string SelectHeadSql = """SELECT "Seq", "Hash" FROM portal_audit_head WHERE "Id" = 1""";
    private const string SelectLastSql = """SELECT "Seq", "Hash" FROM portal_audit ORDER BY "Seq" DESC LIMIT 1""";
    private const int ColumnCount = 21;

    private static readonly DateTimeOffsetToBinaryConverter TimeColumn = new();
    private static readonly string InsertSql =
        $"INSERT INTO portal_audit ({Columns}) VALUES ({string.Join(", ", Enumerable.Range(1, ColumnCount).Select(i => "$" + i))})";
    private static readonly string UpsertHeadSql = """
        INSERT INTO portal_audit_head ("Id", "Seq", "Hash") VALUES (1, $1, $2)
        ON CONFLICT ("Id") DO UPDATE SET "Seq" = excluded."Seq", "Hash" = excluded."Hash"
        """;

    private readonly DbConnection _connection;
    private readonly bool _postgres;
    private DbTransaction? _tx;
    // SQLite only: its statements, prepared once.
    private readonly DbCommand[] _sqlite = [];

    private AuditStatements(DbConnection connection, bool postgres)
    {
        _connection = connection;
        _postgres = postgres;
        if (!postgres)
        {
            // SQLite takes `$n` as named parameters: the same SQL serves both engines.
            _sqlite = [Create(SelectHeadSql, 0), Create(SelectLastSql, 0), Create(InsertSql, ColumnCount), Create(UpsertHeadSql, 2)];
        }
    }

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

    /// <summary>
    /// Starts a batch: the transaction every statement runs in, holding the chain for this writer alone (the lock is
    /// taken on PostgreSQL by <see cref="ReadEndAsync"/>, in the same round trip as its reads).
    /// </summary>
    public async Task<DbTransaction> BeginAsync()
    {
        _tx = await _connection.BeginTransactionAsync();
        foreach (var cmd in _sqlite) cmd.Transaction = _tx;
        return _tx;
    }

    /// <summary>The chain's end as stored: the head row's Seq and hash, and the last row's (0 and null when none).</summary>
    public async Task<(long HeadSeq, string? HeadHash, long LastSeq, string? LastHash)> ReadEndAsync()
    {
        if (!_postgres)
        {
            var (headSeq, headHash) = await ReadOneAsync(_sqlite[0]);
            var (lastSeq, lastHash) = await ReadOneAsync(_sqlite[1]);
            return (headSeq, headHash, lastSeq, lastHash);
        }
        await using var batch = NewBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(AuditWriterLock.TakeSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SelectHeadSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SelectLastSql));
        await using var r = await batch.ExecuteReaderAsync();
        await r.NextResultAsync();
        (long, string?) head = await r.ReadAsync() ? (r.GetInt64(0), r.GetString(1)) : (0, null);
        await r.NextResultAsync();
        (long, string?) last = await r.ReadAsync() ? (r.GetInt64(0), r.GetString(1)) : (0, null);
        return (head.Item1, head.Item2, last.Item1, last.Item2);
    }

    /// <summary>
    /// The `audit import` summary rows after <paramref name="afterSeq"/>, read in the open transaction (after
    /// <see cref="ReadEndAsync"/> took the chain): an import checks here, holding the chain, that no other one took
    /// the same file meanwhile. Each gives the bytes of the file it covered and their SHA-256.
    /// </summary>
    public async Task<List<(long Seq, long Bytes, string? Sha256)>> ReadImportsAsync(long afterSeq)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = $"""
            SELECT "Seq", "ArgumentBytes", "ArgumentHash" FROM portal_audit
            WHERE "Seq" > {afterSeq.ToString(System.Globalization.CultureInfo.InvariantCulture)} AND "Method" = '{AuditImporter.Method}'
            ORDER BY "Seq"
            """;
        var found = new List<(long, long, string?)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) found.Add((r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2)));
        return found;
    }

    /// <summary>
    /// Whether the chain holds row <paramref name="seq"/> with exactly <paramref name="hash"/>, read in the open
    /// transaction: a batch committed without an answer is in the chain if and only if its last row is.
    /// </summary>
    public async Task<bool> HoldsRowAsync(long seq, string hash)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = $"""SELECT "Hash" FROM portal_audit WHERE "Seq" = {seq.ToString(System.Globalization.CultureInfo.InvariantCulture)}""";
        return await cmd.ExecuteScalarAsync() is string found && found == hash;
    }

    /// <summary>Inserts the rows in order and moves the head to the last of them, in the open transaction.</summary>
    public Task WriteAsync(IReadOnlyList<AuditRow> rows, long headSeq, string headHash) =>
        _postgres ? WritePostgresAsync(rows, headSeq, headHash) : WriteSqliteAsync(rows, headSeq, headHash);

    private async Task WriteSqliteAsync(IReadOnlyList<AuditRow> rows, long headSeq, string headHash)
    {
        var p = _sqlite[2].Parameters;
        foreach (var row in rows)
        {
            var values = Values(row);
            for (var i = 0; i < ColumnCount; i++) p[i].Value = values[i];
            await _sqlite[2].ExecuteNonQueryAsync();
        }
        _sqlite[3].Parameters[0].Value = headSeq;
        _sqlite[3].Parameters[1].Value = headHash;
        await _sqlite[3].ExecuteNonQueryAsync();
    }

    private async Task WritePostgresAsync(IReadOnlyList<AuditRow> rows, long headSeq, string headHash)
    {
        // One round trip and one statement for the whole batch, however many rows (each column as an array,
        // unnested into rows): the replicas' lock is held meanwhile, so every round trip here slows them all.
        await using var batch = NewBatch();
        var insert = new NpgsqlBatchCommand(InsertManySql);
        var values = rows.Select(Values).ToArray();
        for (var column = 0; column < ColumnCount; column++)
            insert.Parameters.Add(new NpgsqlParameter { Value = ColumnArray(values, column) });
        batch.BatchCommands.Add(insert);
        var head = new NpgsqlBatchCommand(UpsertHeadSql);
        head.Parameters.Add(new NpgsqlParameter { Value = headSeq });
        head.Parameters.Add(new NpgsqlParameter { Value = headHash });
        batch.BatchCommands.Add(head);
        await batch.ExecuteNonQueryAsync();
    }

    // PostgreSQL's types for the columns, in the order of Columns (as the portal's migration creates them).
    private static readonly string[] PostgresTypes =
    [
        "bigint", "bigint", "text", "text", "text", "text", "text", "text", "text", "bigint",
        "text", "text", "double precision", "text", "text", "text", "text", "text", "text", "text", "text",
    ];

    private static readonly string InsertManySql =
        $"INSERT INTO portal_audit ({Columns}) SELECT * FROM unnest(" +
        string.Join(", ", PostgresTypes.Select((type, i) => $"${i + 1}::{type}[]")) + ")";

    // One column of every row, typed as its PostgreSQL array (null strings stay null).
    private static Array ColumnArray(object[][] rows, int column)
    {
        Array array = PostgresTypes[column] switch
        {
            "bigint" => new long[rows.Length],
            "double precision" => new double[rows.Length],
            _ => new string?[rows.Length],
        };
        for (var i = 0; i < rows.Length; i++)
        {
            var value = rows[i][column];
            array.SetValue(value is DBNull ? null : value, i);
        }
        return array;
    }

    // The columns in the order of Columns; the time encoding is the one PortalDbContext maps.
    private static object[] Values(AuditRow row) =>
    [
        row.Seq, TimeColumn.ConvertToProvider(row.Time)!, row.User, row.Group, Nullable(row.ClientName),
        Nullable(row.ClientVersion), Nullable(row.Server), row.Method, Nullable(row.Tool), row.ArgumentBytes,
        Nullable(row.ArgumentHash), Nullable(row.Arguments), row.DurationMs, row.Outcome, row.Decision,
        Nullable(row.DlpHits), Nullable(row.ExecutionId), row.PrevHash, row.Hash, Nullable(row.HashKind),
        Nullable(row.Replica),
    ];

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    private NpgsqlBatch NewBatch() =>
        new((NpgsqlConnection)_connection, (NpgsqlTransaction?)_tx);

    private static async Task<(long Seq, string? Hash)> ReadOneAsync(DbCommand cmd)
    {
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? (r.GetInt64(0), r.GetString(1)) : (0, null);
    }

    private DbCommand Create(string sql, int parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 1; i <= parameters; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "$" + i;
            p.Value = DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in _sqlite) await cmd.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
