using Microsoft.Extensions.Hosting;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Upstreams;

/// <summary>Connects to every upstream at start and refreshes the caches periodically after that.</summary>
internal sealed class UpstreamRefresher(UpstreamRegistry registry, PortalConfig config, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, config.Portal.RefreshSeconds));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            await registry.EnsureRefreshedAsync().WaitAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await registry.RefreshAllAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }
}
