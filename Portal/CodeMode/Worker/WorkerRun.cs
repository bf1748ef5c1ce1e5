using System.Threading.Channels;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// Drives one execution on a rented worker: sends the script, answers its tool calls through
/// <see cref="CodeModeCalls"/> and waits for "done". The wall clock is the portal's: at the deadline, on the
/// client's cancellation or when a call must stop the run, the worker is killed (SIGKILL) whatever it is doing.
/// </summary>
internal sealed class WorkerRun(WorkerProcess worker, CodeModeCalls calls, CodeModeCatalog catalog, CodeModeSettings settings, TimeProvider time)
{
    /// <summary>The engine reports its own timeout first; the kill is for a script that never yields.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(1);

    /// <returns>The outcome, and whether the worker may serve another execution.</returns>
    public async Task<(SandboxOutcome Outcome, bool Reusable)> RunAsync(string code, SandboxMode mode, CancellationToken clientCancel)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(settings.TimeoutSeconds) + KillGrace, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, clientCancel);
        var inFlight = new List<Task>();
        // Calls whose arguments the portal holds at once: the next call frame is not taken (nor, the inbox being
        // bounded, read) until one is answered, so a script's call flood is bounded at the frame boundary too.
        var argumentSlots = new SemaphoreSlim(settings.MaxConcurrentToolCalls);
        // The worker is untrusted: it may ask for the catalog as often as it likes, and each answer is the portal's work.
        var searchCalls = 0;
        try
        {
            worker.Runs++;
            worker.Busy = true;
            await worker.Frames.WriteAsync(new WorkerMessage
            {
                Type = "run", Code = code, Mode = mode, Limits = settings,
                ToolIds = mode == SandboxMode.Execute ? catalog.Ids.ToDictionary(StringComparer.Ordinal) : [],
            }, stop.Token);
            while (true)
            {
                var message = await worker.Inbox.ReadAsync(stop.Token);
                switch (message.Type)
                {
                    case "call" when mode == SandboxMode.Search:
                        // A search has no tool calls in its API (and is annotated read-only): only a worker that
                        // was taken over asks for one.
                        worker.Kill();
                        return (Failed(SandboxFailure.Internal, "the sandbox broke its protocol and was stopped"), false);
                    case "call":
                        await argumentSlots.WaitAsync(stop.Token);
                        inFlight.Add(CallAsync(message, stop, argumentSlots));
                        if (calls.Stop is not null) stop.Cancel();
                        break;
                    case "tools" or "declarations" when ++searchCalls > settings.MaxSearchCalls:
                        worker.Kill();
                        return (Failed(SandboxFailure.SearchCallLimit,
                            $"search call limit reached ({settings.MaxSearchCalls} codemode.tools()/declarations() per execution)"), false);
                    case "tools":
                        await ReplyAsync(message.Id, mode == SandboxMode.Search ? catalog.ToolsJson() : "[]", stop.Token);
                        break;
                    case "declarations":
                        await ReplyAsync(message.Id, catalog.Declarations(message.Text ?? "[]"), stop.Token);
                        break;
                    case "done":
                        return (Outcome(message), !message.Recycle);
                    default:
                        worker.Kill();
                        return (Failed(SandboxFailure.Internal, "the sandbox broke its protocol and was stopped"), false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            worker.Kill();
            if (calls.Stop is { } reason) return (Failed(reason.Failure, reason.Message), false);
            if (clientCancel.IsCancellationRequested) return (Failed(SandboxFailure.Cancelled, "execution cancelled by the client"), false);
            return (Failed(SandboxFailure.Timeout, $"execution timed out after {settings.TimeoutSeconds:0.###} s; its process was killed"), false);
        }
        catch (Exception e) when (e is ChannelClosedException or IOException or ObjectDisposedException or InvalidDataException)
        {
            // The worker died under us: its memory or CPU limit, a crash, or a frame the portal refused.
            worker.Kill();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(5));
            return (Failed(SandboxFailure.Killed, $"the sandbox process was stopped by {worker.ExitDescription()}"), false);
        }
        finally
        {
            worker.Busy = false;
            stop.Cancel();
            await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task CallAsync(WorkerMessage message, CancellationTokenSource stop, SemaphoreSlim argumentSlot)
    {
        string envelope;
        try
        {
            var name = message.Name ?? "";
            var json = message.Text ?? "";
            envelope = message is { Text: null, Size: > 0 }
                ? calls.AdmitUnread(name, message.Size)
                : calls.Admit(name, json, out var arguments) ?? await Task.Run(() => calls.CallAsync(name, json, arguments!, stop.Token));
        }
        finally { argumentSlot.Release(); }
        if (calls.Stop is not null) { stop.Cancel(); return; }
        try { await ReplyAsync(message.Id, envelope, stop.Token); }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException) { /* the run is over */ }
    }

    private Task ReplyAsync(long id, string text, CancellationToken ct) =>
        worker.Frames.WriteAsync(new WorkerMessage { Type = "reply", Id = id, Text = text }, ct);

    private SandboxOutcome Outcome(WorkerMessage done)
    {
        var logs = done.Logs ?? "";
        if (logs.Length > settings.MaxLogChars + 64) logs = logs[..settings.MaxLogChars] + "\n…[console output truncated]";
        var text = done.Text ?? "";
        if (done.Ok && text.Length > settings.MaxJsonChars)
            return new SandboxOutcome(null, $"result larger than {settings.MaxJsonChars} characters of JSON", SandboxFailure.OutputLimit, logs, done.LogsTruncated, calls.Count);
        if (done.Ok) return new SandboxOutcome(text, null, SandboxFailure.None, logs, done.LogsTruncated, calls.Count);
        var failure = done.Failure == SandboxFailure.None ? SandboxFailure.ScriptError : done.Failure;
        return new SandboxOutcome(null, text.Length > 2000 ? text[..2000] + "…" : text, failure, logs, done.LogsTruncated, calls.Count);
    }

    private SandboxOutcome Failed(SandboxFailure failure, string message) => new(null, message, failure, "", false, calls.Count);
}
