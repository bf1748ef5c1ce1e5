using System.Diagnostics;
using System.Threading.Channels;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// The portal's handle on one worker: its pipes, the frames it sent and the means to kill it. Frames are read by
/// one loop into <see cref="Inbox"/>; the inbox completes when the worker exits or breaks the protocol.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    // One decoded frame waits here at most: the loop reads the next only once the run took this one, so a worker
    // that sends call after call is held to what the run admits (WorkerRun's argument slots), not buffered ahead.
    private readonly Channel<WorkerMessage> _inbox = Channel.CreateBounded<WorkerMessage>(
        new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _dead = new();
    private readonly Task _reading;
    private int _killed;
    private int _disposed;

    private WorkerProcess(Process process, int maxFrameBytes, int maxRequestFrameBytes)
    {
        _process = process;
        Frames = new FrameChannel(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, maxFrameBytes, maxRequestFrameBytes);
        _reading = Task.Run(ReadLoopAsync);
        // Whatever the runtime prints on a crash is drained so the worker never blocks on a full pipe.
        _ = Task.Run(() => process.StandardError.BaseStream.CopyToAsync(Stream.Null));
    }

    public FrameChannel Frames { get; }
    public ChannelReader<WorkerMessage> Inbox => _inbox.Reader;
    public int Runs { get; set; }

    /// <summary>True while an execution runs on this worker.</summary>
    public bool Busy { get; set; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <param name="maxRequestFrameBytes">The largest frame the worker may send that is not a result (see <see cref="FrameChannel"/>).</param>
    public static async Task<WorkerProcess> StartAsync(WorkerLauncher launcher, int maxFrameBytes, int maxRequestFrameBytes, TimeSpan startTimeout)
    {
        var process = Process.Start(launcher.StartInfo()) ?? throw new InvalidOperationException("the code-mode worker did not start");
        var worker = new WorkerProcess(process, maxFrameBytes, maxRequestFrameBytes);
        using var timeout = new CancellationTokenSource(startTimeout);
        try
        {
            var first = await worker.Inbox.ReadAsync(timeout.Token);
            if (first.Type != "ready") throw new InvalidDataException($"the worker said '{first.Type}' instead of 'ready'");
            return worker;
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException or InvalidDataException)
        {
            await worker.DisposeAsync();
            throw new InvalidOperationException("the code-mode worker did not start: " + e.Message, e);
        }
    }

    /// <summary>Why the process ended, for the execution's error: a CPU-time signal or anything else.</summary>
    public string ExitDescription()
    {
        if (!_process.HasExited) return "still running";
        return _process.ExitCode switch
        {
            128 + 24 => "its CPU time limit (SIGXCPU)",
            128 + 9 => "a kill signal (SIGKILL)",
            _ => $"exit code {_process.ExitCode}, typically its memory limit",
        };
    }

    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try { await _process.WaitForExitAsync(cts.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>SIGKILL: nothing inside the worker can delay it. Safe to call more than once.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 1) return;
        _dead.Cancel(); // a frame read but not taken is dropped with its worker
        try { _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
        catch (System.ComponentModel.Win32Exception) { /* already gone */ }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await Frames.ReadAsync(CancellationToken.None) is { } message) await _inbox.Writer.WriteAsync(message, _dead.Token);
        }
        catch (Exception)
        {
            // A malformed or oversized frame: the worker is not trusted to say anything more.
            Kill();
        }
        finally { _inbox.Writer.TryComplete(); }
    }

    public async ValueTask DisposeAsync()
    {
        // The pool may retire a worker from two places at once (a finished run and shutdown).
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(5));
        await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }
}
