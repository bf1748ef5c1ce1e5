using Microsoft.Extensions.Options;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// The store the pages read. The first use opens it through <see cref="FindingStore.Open"/> (which migrates an older
/// store); later requests open a plain context, so a page load does not re-run migrations.
/// </summary>
internal sealed class AdminStore(IOptions<AdminOptions> options)
{
    private readonly Lock _gate = new();
    private bool _migrated;

    public string Path { get; } = options.Value.DbPath ?? StorePaths.Default;

    public ShadowMcpDbContext Open()
    {
        if (!_migrated)
        {
            lock (_gate)
            {
                if (!_migrated)
                {
                    FindingStore.Open(Path).Dispose();
                    _migrated = true;
                }
            }
        }
        return ShadowMcpDbContext.Open(Path);
    }
}
