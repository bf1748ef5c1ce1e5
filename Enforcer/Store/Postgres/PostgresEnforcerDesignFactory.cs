using Microsoft.EntityFrameworkCore.Design;

namespace ShadowMcp.Enforcer.Store.Postgres;

/// <summary>
/// Lets `dotnet ef migrations add --context PostgresEnforcerDbContext` build the context without a host; adding a
/// migration never connects, so the server named here need not exist.
/// </summary>
internal sealed class PostgresEnforcerDesignFactory : IDesignTimeDbContextFactory<PostgresEnforcerDbContext>
{
    public PostgresEnforcerDbContext CreateDbContext(string[] args) =>
        PostgresEnforcerDbContext.Create("Host=localhost;Database=shadowmcp_design");
}
