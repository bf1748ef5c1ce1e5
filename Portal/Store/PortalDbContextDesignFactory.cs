using Microsoft.EntityFrameworkCore.Design;

namespace ShadowMcp.Portal.Store;

/// <summary>Lets `dotnet ef migrations add` build the context without running the portal.</summary>
internal sealed class PortalDbContextDesignFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) => new(PortalDbContext.OptionsFor("design.db"));
}
