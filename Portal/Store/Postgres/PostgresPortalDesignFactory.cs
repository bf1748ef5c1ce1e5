using Microsoft.EntityFrameworkCore.Design;

namespace ShadowMcp.Portal.Store.Postgres;

/// <summary>
/// Lets `dotnet ef migrations add --context PostgresPortalDbContext` build the context without a host; adding a
/// migration never connects, so the server named here need not exist.
/// </summary>
internal sealed class PostgresPortalDesignFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args) =>
        new(PostgresPortalDbContext.PostgresOptionsFor("Host=localhost;Database=shadowmcp_design"));
}
