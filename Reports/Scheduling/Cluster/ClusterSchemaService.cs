using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Reports.Scheduling.Cluster;

/// <summary>
/// Applies <see cref="ClusterSchema"/> when the host starts, before Quartz's hosted service (registered after it)
/// opens its job store and before the start-up catch-up claims a period.
/// </summary>
internal sealed partial class ClusterSchemaService(
    StoreTarget store, ClusterInstance instance, ILogger<ClusterSchemaService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Run(() => ClusterSchema.Apply(store.Location), cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new StoreException(
                $"{store.Display}: cannot create the report scheduler's tables: {ex.Message}", ex);
        }
        LogClustered(logger, store.Display, instance.Id);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Report scheduler clustered on {Store} as instance {Instance}")]
    private static partial void LogClustered(ILogger logger, string store, string instance);
}
