using Microsoft.EntityFrameworkCore.Design;

namespace ShadowMcp.Core.Store.Postgres;

/// <summary>
/// Lets `dotnet ef migrations add --context PostgresShadowMcpDbContext` build the context without a host; adding a
/// migration never connects, so the server named here need not exist.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresShadowMcpDbContext>
{
    public PostgresShadowMcpDbContext CreateDbContext(string[] args) =>
        PostgresShadowMcpDbContext.Create("Host=localhost;Database=shadowmcp_design");
}
