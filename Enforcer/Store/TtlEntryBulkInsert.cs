using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ShadowMcp.Core.Store.Postgres;

namespace ShadowMcp.Enforcer.Store;

/// <summary>
/// New TTL rows without EF's change tracking. On SQLite: one transaction, one prepared statement, the values in the
/// text form EF writes. On PostgreSQL: one binary COPY (all rows or none), the times as UTC `timestamptz` like the
/// model's converter writes them.
/// </summary>
internal static class TtlEntryBulkInsert
{
    public static void Run(
        EnforcerDbContext context, IReadOnlyCollection<string> keys, DateTime blockedAt, DateTime? expiresAt)
    {
        if (keys.Count == 0) return;
        var db = context.Database;
        db.OpenConnection();
        try
        {
            if (db.GetDbConnection() is NpgsqlConnection pg) Copy(pg, keys, blockedAt, expiresAt);
            else Insert(db.GetDbConnection(), keys, blockedAt, expiresAt);
        }
        finally
        {
            db.CloseConnection();
        }
    }

    private static void Copy(
        NpgsqlConnection connection, IReadOnlyCollection<string> keys, DateTime blockedAt, DateTime? expiresAt)
    {
        var blocked = UtcDateTimeConverter.ToUtc(blockedAt);
        DateTime? expires = expiresAt is { } e ? UtcDateTimeConverter.ToUtc(e) : null;
        using var copy = connection.BeginBinaryImport(
            "COPY enforcer_ttl (\"EntryKey\", \"BlockedAt\", \"ExpiresAt\") FROM STDIN (FORMAT BINARY)");
        foreach (var k in keys)
        {
            copy.StartRow();
            copy.Write(k, NpgsqlDbType.Text);
            copy.Write(blocked, NpgsqlDbType.TimestampTz);
            if (expires is { } x) copy.Write(x, NpgsqlDbType.TimestampTz);
            else copy.WriteNull();
        }
        copy.Complete();
    }

    private static void Insert(
        DbConnection connection, IReadOnlyCollection<string> keys, DateTime blockedAt, DateTime? expiresAt)
    {
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText =
            "INSERT INTO enforcer_ttl (EntryKey, BlockedAt, ExpiresAt) VALUES ($key, $blocked, $expires)";
        var key = Parameter(insert, "$key", "");
        Parameter(insert, "$blocked", blockedAt);
        Parameter(insert, "$expires", (object?)expiresAt ?? DBNull.Value);
        insert.Prepare();
        foreach (var k in keys)
        {
            key.Value = k;
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
        return p;
    }
}
