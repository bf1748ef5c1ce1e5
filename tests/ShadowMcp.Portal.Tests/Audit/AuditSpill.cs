using Microsoft.Data.Sqlite;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Cli;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Fallback files made the way a portal makes them: a real <see cref="AuditLog"/> on a SQLite store that refuses every
/// insert (a trigger) is closed, and the rows it holds go to the file beside the store. Also runs the `audit` CLI.
/// </summary>
internal static class AuditSpill
{
    /// <summary>A trigger that aborts every insert into the audit table, as a failing store would.</summary>
    public const string Refuse = "CREATE TRIGGER refuse BEFORE INSERT ON portal_audit BEGIN SELECT RAISE(ABORT, 'refused'); END;";

    /// <summary>Commits <paramref name="committed"/>, then spills <paramref name="spilled"/>; the store takes rows again afterwards.</summary>
    /// <returns>The fallback file.</returns>
    public static async Task<string> SpillAsync(PortalStore store, byte[] key, string? replica,
        IReadOnlyList<AuditRecord> committed, IReadOnlyList<AuditRecord> spilled)
    {
        var log = new AuditLog(store, TimeProvider.System, key, replica);
        foreach (var r in committed) await log.AppendAsync(r);
        Exec(store, Refuse);
        var kept = spilled.Select(r => log.AppendAsync(r)).ToList();
        await AuditOutage.WaitUntilFailingAsync(log);
        await log.DisposeAsync();
        foreach (var k in kept) Assert.That(async () => await k, Throws.InstanceOf<AuditUnavailableException>());
        Exec(store, "DROP TRIGGER refuse;");
        return Path.Combine(store.KeyDirectory, AuditLog.FallbackFileName);
    }

    /// <summary>Writes <paramref name="key"/> where the portal keeps it beside a SQLite store, as the portal would.</summary>
    public static void KeyBeside(PortalStore store, byte[] key) =>
        File.WriteAllText(Path.Combine(store.KeyDirectory, AuditKeys.DefaultKeyName), Convert.ToHexStringLower(key) + "\n");

    public static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new System.CommandLine.RootCommand("test");
        foreach (var c in PortalCommands.Create(stdout, stderr)) root.Add(c);
        var code = root.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static int RowCount(PortalStore store)
    {
        using var db = store.Open();
        return db.Audit.Count();
    }

    /// <summary>Runs SQL on a SQLite portal store outside the log (to make it refuse or take rows again).</summary>
    public static void Exec(PortalStore store, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={store.Target.Location}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
        connection.Close();
        SqliteConnection.ClearPool(connection);
    }
}
