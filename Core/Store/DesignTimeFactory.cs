using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ShadowMcp.Core.Store;

/// <summary>Lets `dotnet ef migrations add` build the context without a host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ShadowMcpDbContext>
{
    public ShadowMcpDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ShadowMcpDbContext>().UseSqlite("Data Source=design.db").Options);
}
