using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// Started workers waiting for an execution. A worker serves executions one at a time and goes back to the pool
/// only after a clean finish; one that was killed, broke the protocol, hit a memory limit or served
/// <see cref="CodeModeSettings.MaxRunsPerWorker"/> runs is replaced by a fresh process in the background.
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    private readonly CodeModeSettings _settings;
    private readonly WorkerLauncher _launcher;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<WorkerProcess> _idle = new();
    private readonly ConcurrentDictionary<WorkerProcess, byte> _all = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _starting;

    public WorkerPool(CodeModeSettings settings, ILogger logger)
    {
        _settings = settings;
        _launcher = new WorkerLauncher(settings);
        _logger = logger;
    }

    public int FrameLimit => FrameChannel.FrameLimit(_settings);

    /// <summary>What the portal reads of a worker's frame that is not a result (a call): see <see cref="FrameChannel"/>.</summary>
    public int RequestFrameLimit => FrameChannel.RequestFrameLimit(_settings);

    public IReadOnlyCollection<WorkerProcess> Workers => _all.Keys.ToList();

    public async Task<WorkerProcess> RentAsync(CancellationToken ct)
    {
        while (_idle.TryDequeue(out var idle))
        {
            if (!idle.HasExited && !idle.Inbox.Completion.IsCompleted) { Refill(); return idle; }
            await RetireAsync(idle);
        }
        var worker = await StartAsync().WaitAsync(ct);
        Refill();
        return worker;
    }

    public void Return(WorkerProcess worker, bool reusable)
    {
        if (reusable && !_stopping.IsCancellationRequested && worker.Runs < _settings.MaxRunsPerWorker && _idle.Count < _settings.WarmWorkers)
        {
            _idle.Enqueue(worker);
            return;
        }
        _ = RetireAsync(worker);
        Refill();
    }

    /// <summary>Starts workers in the background until <see cref="CodeModeSettings.WarmWorkers"/> are waiting.</summary>
    public void Refill()
    {
        if (_stopping.IsCancellationRequested) return;
        while (true)
        {
            var starting = Volatile.Read(ref _starting);
            if (_idle.Count + starting >= _settings.WarmWorkers) return;
            if (Interlocked.CompareExchange(ref _starting, starting + 1, starting) != starting) continue;
            _ = Task.Run(async () =>
            {
                try
                {
                    var worker = await StartAsync();
                    if (_stopping.IsCancellationRequested) await RetireAsync(worker);
                    else _idle.Enqueue(worker);
                }
                catch (Exception e) { _logger.LogWarning("code mode: could not start a worker: {Reason}", e.Message); }
                finally { Interlocked.Decrement(ref _starting); }
            });
        }
    }

    private async Task<WorkerProcess> StartAsync()
    {
        WorkerProcess worker;
        try { worker = await WorkerProcess.StartAsync(_launcher, FrameLimit, RequestFrameLimit, StartTimeout); }
        catch (InvalidOperationException) when (_launcher.DropNetworkIsolation())
        {
            _logger.LogWarning("code mode: workers cannot get a network namespace here; they run without one (the engine has no network API)");
            worker = await WorkerProcess.StartAsync(_launcher, FrameLimit, RequestFrameLimit, StartTimeout);
        }
        Track(worker);
        if (await WorkerWarmUp.RunAsync(worker, _settings, StartTimeout)) return worker;
        await RetireAsync(worker);
        throw new InvalidOperationException("the code-mode worker did not complete its warm-up execution");
    }

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private void Track(WorkerProcess worker) => _all[worker] = 0;

    private async Task RetireAsync(WorkerProcess worker)
    {
        _all.TryRemove(worker, out _);
        await worker.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        foreach (var worker in _all.Keys) await RetireAsync(worker);
    }
}
