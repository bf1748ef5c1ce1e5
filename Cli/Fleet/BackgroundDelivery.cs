using Microsoft.Extensions.Logging;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// A live sensor's remote store: a flush only writes its batch to the spool (local disk) and wakes a delivery thread
/// of its own, so a slow, hung or unreachable centre never holds the capture thread while the kernel ring fills. The
/// thread sends what waits after each flush and, after a failure, again when the back-off ends. <see cref="Finish"/>
/// makes one last bounded attempt when the sensor stops; whatever is still waiting stays in the spool for the next run.
/// </summary>
public sealed partial class BackgroundDelivery : IScanResultSink, IDisposable
{
    private readonly RemoteResultSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private int _finished;

    public BackgroundDelivery(RemoteResultSink sink, ILogger logger, TimeProvider? time = null)
    {
        _sink = sink;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _thread = new Thread(Loop) { IsBackground = true, Name = "sensor-delivery" };
        _thread.Start();
    }

    /// <summary>Deliveries that reached the centre (each sends everything waiting at that moment).</summary>
    public int Completed => Volatile.Read(ref _completed);
    private int _completed;

    public void SaveFileResult(string filePath, string sha256, long size, ScanStats stats, string? error, IReadOnlyList<Finding> findings,
        DateTime scannedAt)
    {
        _sink.Spool(filePath, sha256, size, stats, error, findings, scannedAt);
        Wake();
    }

    private void Wake()
    {
        // One pending wake-up is enough: a delivery sends everything that waits when it starts.
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    private void Loop()
    {
        var stop = _stop.Token;
        // Kept across turns: a wait that a back-off timer beat is still the one a later wake-up releases.
        Task? woken = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                woken ??= _wake.WaitAsync(stop);
                var retryIn = _sink.QuietUntil - _time.GetUtcNow();
                var waiting = _sink.Waiting > 0;
                // Waiting batches are retried when the back-off ends (at once if it has); otherwise sleep until a flush.
                if (waiting && retryIn > TimeSpan.Zero)
                    Task.WaitAny([woken, Task.Delay(retryIn, _time, stop)], stop);
                else if (!waiting)
                    woken.Wait(stop);
                if (woken.IsCompleted) woken = null;
                if (_sink.Deliver(stop)) Interlocked.Increment(ref _completed);
            }
            catch (Exception) when (stop.IsCancellationRequested) { return; }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The spool itself failed (disk full, permissions): say so and try again later, never kill the sensor.
                LogSpoolError(_logger, ex.Message);
                try { Task.Delay(RetryAfterSpoolError, _time, stop).Wait(stop); }
                catch (Exception) when (stop.IsCancellationRequested) { return; }
            }
        }
    }

    /// <summary>
    /// Stops the delivery thread and makes one last attempt, bounded by <paramref name="within"/>.
    /// </summary>
    /// <returns>Batches still waiting in the spool.</returns>
    public int Finish(TimeSpan within)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1) return _sink.Waiting;
        _stop.Cancel();
        _thread.Join();
        if (within > TimeSpan.Zero)
        {
            using var deadline = new CancellationTokenSource(within, _time);
            try { _sink.Deliver(deadline.Token, ignoreBackoff: true); }
            catch (OperationCanceledException) { }
        }
        var waiting = _sink.Waiting;
        if (waiting > 0) LogStillWaiting(_logger, waiting);
        return waiting;
    }

    public void Dispose()
    {
        Finish(TimeSpan.Zero);
        _stop.Dispose();
        _wake.Dispose();
    }

    private static readonly TimeSpan RetryAfterSpoolError = TimeSpan.FromSeconds(30);

    [LoggerMessage(Level = LogLevel.Error, Message = "delivery from the spool failed: {Reason}; retrying in 30 s")]
    private static partial void LogSpoolError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Waiting} batches wait in the spool for the centre; the next run sends them")]
    private static partial void LogStillWaiting(ILogger logger, int waiting);
}
