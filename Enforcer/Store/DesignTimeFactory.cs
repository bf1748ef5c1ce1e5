using Microsoft.EntityFrameworkCore.Design;

namespace ShadowMcp.Enforcer.Store;

/// <summary>Lets `dotnet ef migrations add` build the context without a host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EnforcerDbContext>
{
    public EnforcerDbContext CreateDbContext(string[] args) => new(EnforcerDbContext.OptionsFor("Data Source=design.db"));
}
