using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ShadowMcp.Core.Store.Postgres;

/// <summary>
/// Turns a PostgreSQL failure into one line for people: which server could not be reached and why, or the server's
/// own message. Never includes the connection string (it holds the password). Public for the modules that talk to
/// the store outside EF Core (the enforcer's run lock).
/// </summary>
public static class PostgresErrors
{
    /// <summary>The Npgsql exception behind <paramref name="ex"/> (EF wraps some in InvalidOperationException), if any.</summary>
    public static NpgsqlException? Find(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is NpgsqlException n) return n;
        return null;
    }

    public static string Describe(NpgsqlException ex, DbContext db) => Describe(ex, ServerOf(db));

    /// <param name="server">"host:port", as <see cref="StoreTarget.Server"/> gives it.</param>
    public static string Describe(NpgsqlException ex, string server)
    {
        if (ex is PostgresException said) return $"the server said: {said.MessageText} ({said.SqlState})";
        var socket = Inner<SocketException>(ex);
        var timeout = Inner<TimeoutException>(ex);
        var reason = socket?.Message ?? timeout?.Message ?? ex.Message;
        return $"cannot reach the PostgreSQL server at {server}: {reason}";
    }

    private static T? Inner<T>(Exception ex) where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is T t) return t;
        return null;
    }

    private static string ServerOf(DbContext db)
    {
        var b = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        return $"{b.Host}:{b.Port}";
    }
}
