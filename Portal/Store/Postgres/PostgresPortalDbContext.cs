using Microsoft.EntityFrameworkCore;

namespace ShadowMcp.Portal.Store.Postgres;

/// <summary>
/// The portal's tables on a shared PostgreSQL server, where several portal replicas keep one set of tokens, pins,
/// upstream state and one audit log. Same model as the SQLite store, with migrations of its own (Postgres/Migrations).
/// </summary>
internal sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options)
{
    public static DbContextOptions<PostgresPortalDbContext> PostgresOptionsFor(string connectionString) =>
        new DbContextOptionsBuilder<PostgresPortalDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable(MigrationsHistoryTable))
            .Options;
}
