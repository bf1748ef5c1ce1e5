using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store.Postgres;

namespace ShadowMcp.Enforcer.Store.Postgres;

/// <summary>
/// The Enforcer's tables on a shared PostgreSQL server, beside the detection and portal tables. Same model as the
/// SQLite store, with migrations of its own (Postgres/Migrations) because EF migrations are provider-specific.
/// Times are `timestamp with time zone`, always written as UTC, as in the detection tables.
/// </summary>
public sealed class PostgresEnforcerDbContext(DbContextOptions<PostgresEnforcerDbContext> options)
    : EnforcerDbContext(options)
{
    public static PostgresEnforcerDbContext Create(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresEnforcerDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable(HistoryTable))
            .Options);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
