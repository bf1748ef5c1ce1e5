using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// SIGTERM, SIGINT (Ctrl+C) and SIGQUIT ask a long-running command to stop: the first one cancels
/// <see cref="Stopping"/> so the command flushes what it has and exits 0; a second one, or a stop that takes longer
/// than the grace period, ends the process at once with the signal's usual exit code (128 + signal number).
/// Why our own handlers: the runtime's default for SIGTERM ends the process right away, before any flush.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly TimeSpan _grace;
    private readonly TimeProvider _time;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private ITimer? _deadline;
    private int _signals;

    public StopSignals(ILogger logger, TimeSpan grace, TimeProvider? time = null)
    {
        _logger = logger;
        _grace = grace;
        _time = time ?? TimeProvider.System;
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
    }

    /// <summary>Cancelled by the first stop signal.</summary>
    public CancellationToken Stopping => _stopping.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here in every case: the runtime's own handling would skip the forced exit code below.
        context.Cancel = true;
        int exitCode = 128 + SignalNumber(context.Signal);
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _logger.LogWarning("{Signal}: stopping; flushing findings (send it again to stop at once)", context.Signal);
            _deadline = _time.CreateTimer(_ => ForceExit($"stop took longer than {_grace.TotalSeconds:0} s", exitCode),
                null, _grace, Timeout.InfiniteTimeSpan);
            _stopping.Cancel();
            return;
        }

        ForceExit($"second {context.Signal}", exitCode);
    }

    private static void ForceExit(string why, int exitCode)
    {
        // Straight to stderr: the logger writes on a queue that Environment.Exit does not wait for.
        Console.Error.WriteLine($"error: {why}: exiting without a complete flush");
        Console.Error.Flush();
        // Exit does not wait for the capture thread, so a stuck flush cannot hold the process.
        Environment.Exit(exitCode);
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _deadline?.Dispose();
        _stopping.Dispose();
    }
}
