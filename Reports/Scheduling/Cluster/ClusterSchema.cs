using System.Reflection;
using Npgsql;
using ShadowMcp.Core.Store.Postgres;

namespace ShadowMcp.Reports.Scheduling.Cluster;

/// <summary>
/// Creates what the clustered scheduler needs on a PostgreSQL store, idempotently: Quartz's job-store tables and
/// report_runs. Quartz's own tables come from the script shipped inside the Quartz assembly (the one its
/// CreateIfMissing mode runs), so the schema always matches the Quartz version in use; ours is ClusterSchema.sql.
/// Both run under the store's migration lock, so two instances starting together do not race on CREATE TABLE
/// (PostgreSQL's IF NOT EXISTS is not safe against a concurrent create).
/// </summary>
public static class ClusterSchema
{
    /// <summary>Quartz's default table prefix; unquoted, PostgreSQL folds it to lower case.</summary>
    public const string TablePrefix = "qrtz_";

    private const string QuartzScript = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";
    private const string OwnScript = "ShadowMcp.Reports.Scheduling.Cluster.ClusterSchema.sql";
    private const string Separator = "--;;";

    public static void Apply(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        MigrationLock.Run(connection, c =>
        {
            foreach (var statement in Statements()) Execute(c, statement);
        });
    }

    /// <summary>Every statement, Quartz's first: prefix substituted, comments-only pieces left out.</summary>
    internal static IReadOnlyList<string> Statements()
    {
        var quartz = Read(typeof(Quartz.IScheduler).Assembly, QuartzScript)
            .Replace("{0}", TablePrefix, StringComparison.Ordinal)
            .Replace("{1}", TablePrefix, StringComparison.Ordinal);
        var pieces = quartz.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n" + Separator + "\n");
        var own = Read(typeof(ClusterSchema).Assembly, OwnScript);
        return [.. pieces.Append(own).Where(HasCode)];
    }

    private static bool HasCode(string piece) =>
        piece.Split('\n').Any(l => l.Trim() is { Length: > 0 } t && !t.StartsWith("--", StringComparison.Ordinal));

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no resource {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.ExecuteNonQuery();
    }
}
