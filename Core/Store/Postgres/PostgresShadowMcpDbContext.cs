using Microsoft.EntityFrameworkCore;

namespace ShadowMcp.Core.Store.Postgres;

/// <summary>
/// The detection tables on a shared PostgreSQL server: the same model as the SQLite store, with migrations of its own
/// (Postgres/Migrations). Times are `timestamp with time zone` and always written as UTC (<see cref="UtcDateTimeConverter"/>).
/// </summary>
public sealed class PostgresShadowMcpDbContext(DbContextOptions<PostgresShadowMcpDbContext> options) : ShadowMcpDbContext(options)
{
    public static PostgresShadowMcpDbContext Create(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresShadowMcpDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__EFMigrationsHistory"))
            .Options);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
    }
}
