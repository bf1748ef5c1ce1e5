using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Writes a signed checkpoint of the audit log's head every checkpointSeconds when rows were added since the
/// last one, and on shutdown after the last rows are committed.
/// </summary>
internal sealed partial class CheckpointWriter(
    PortalConfig config, PortalStore store, AuditLog audit, AuditKeys keys, TimeProvider time, ILogger<CheckpointWriter> logger)
    : BackgroundService
{
    private readonly CheckpointSinks _sinks = new(config.Portal.Audit);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long Seq, string Hash)? _last;

    /// <summary>Raised after each checkpoint is signed and handed to the sinks.</summary>
    public event Action<AuditCheckpoint>? Written;

    private PeriodicTimer? _timer;

    /// <summary>Starts the clock here, not in ExecuteAsync (which runs later on another thread), so the first
    /// period counts from the start.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_sinks.Any) _timer = new PeriodicTimer(TimeSpan.FromSeconds(config.Portal.Audit.CheckpointSeconds), time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer) return;
        using var owned = timer;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await WriteAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync writes the last one.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_sinks.Any) await WriteAsync();
    }

    /// <summary>Commits what is queued, then signs and writes the head if it moved since the last checkpoint.</summary>
    /// <returns>The checkpoint written, or null when there was nothing new (or no sink).</returns>
    public async Task<AuditCheckpoint?> WriteAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await audit.FlushAsync();
            AuditHeadRow? head;
            long count;
            await using (var db = store.Open())
            {
                head = await db.AuditHead.AsNoTracking().FirstOrDefaultAsync(h => h.Id == 1);
                count = await db.Audit.LongCountAsync();
            }
            if (head is null || keys.SigningKey is not { } key || _last == (head.Seq, head.Hash)) return null;
            var checkpoint = AuditCheckpoint.Sign(head.Seq, count, head.Hash, time.GetUtcNow(), key);
            var failures = _sinks.Write(checkpoint);
            foreach (var failure in failures) LogSinkFailed(failure);
            if (failures.Count == 0) _last = (head.Seq, head.Hash);
            Written?.Invoke(checkpoint);
            return checkpoint;
        }
        finally { _gate.Release(); }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit checkpoint not written: {Failure}")]
    private partial void LogSinkFailed(string failure);
}
