using System.Collections.Concurrent;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// The `shadowmcp codemode-worker` process: reads "run" frames on stdin, runs each script in a fresh engine and
/// answers "done" on stdout. Everything the script reaches (tool calls, the tool list, declarations) is a frame
/// to the portal, which applies policy, DLP and audit. The portal starts it under OS limits and kills it at will.
/// </summary>
public static class CodeModeWorker
{
    private const int EngineStackBytes = 16 * 1024 * 1024;

    /// <summary>The command name the portal starts; hidden from help.</summary>
    public const string CommandName = "codemode-worker";

    public static Task<int> RunAsync(Stream stdin, Stream stdout)
    {
        // The frame path below uses no thread-pool thread; what is left (a cancelled call's bookkeeping) must not
        // wait for the pool to grow on a 2-core host.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 4), Math.Max(io, 4));
        var channel = new FrameChannel(stdin, stdout, 64 * 1024 * 1024);
        var pending = new ConcurrentDictionary<long, TaskCompletionSource<string>>();
        var runs = new BlockingCollection<WorkerMessage>();
        // Two threads and no pool hop between them: the reader blocks in read(2) and hands a reply straight to the
        // engine thread (the answer's continuation runs on the reader, see Ask), the engine writes its own frames.
        // Each hop through the pool was another wake-up of a nice-19 process, late on a busy host.
        var reader = new Thread(() => Read(channel, runs, pending)) { IsBackground = true, Name = "codemode-frames" };
        reader.Start();
        // One engine thread for the worker's life: a 16 MB stack per execution cost a thread start each run.
        // Jint's memory limit is counted per thread from each run's own start, so runs do not add up.
        var engine = new Thread(() => Serve(runs, channel, pending), EngineStackBytes) { IsBackground = true, Name = "codemode" };
        engine.Start();
        engine.Join();
        return Task.FromResult(0);
    }

    private static void Read(FrameChannel channel, BlockingCollection<WorkerMessage> runs, ConcurrentDictionary<long, TaskCompletionSource<string>> pending)
    {
        try
        {
            while (channel.Read() is { } message)
            {
                if (message.Type == "run") runs.Add(message);
                else if (message.Type == "reply" && pending.TryRemove(message.Id, out var waiter)) waiter.TrySetResult(message.Text ?? "");
            }
        }
        catch (Exception) { /* a broken pipe ends the worker like end of input */ }
        finally
        {
            runs.CompleteAdding();
            foreach (var waiter in pending.Values) waiter.TrySetCanceled();
        }
    }

    private static void Serve(BlockingCollection<WorkerMessage> runs, FrameChannel channel, ConcurrentDictionary<long, TaskCompletionSource<string>> pending)
    {
        WarmUp();
        channel.Write(new WorkerMessage { Type = "ready" });
        foreach (var run in runs.GetConsumingEnumerable())
        {
            var done = RunOne(run, channel, pending);
            // A result the portal would not read (past its frame limit after escaping) is reported as too large.
            if (!channel.TryWrite(done, FrameChannel.FrameLimit(run.Limits ?? new CodeModeSettings())))
                channel.Write(Done(new SandboxOutcome(null, "result too large to return", SandboxFailure.OutputLimit, "", false, done.ToolCalls),
                    done.Recycle));
            if (done.Recycle) return;
        }
    }

    private static WorkerMessage RunOne(WorkerMessage run, FrameChannel channel, ConcurrentDictionary<long, TaskCompletionSource<string>> pending)
    {
        var limits = run.Limits ?? new CodeModeSettings();
        try
        {
            CpuLimit.AllowFor(limits.TimeoutSeconds + 2);
            var outcome = JsSandbox.Run(Request(run, channel, pending), limits, CancellationToken.None);
            return Done(outcome, recycle: outcome.Failure is SandboxFailure.MemoryLimit or SandboxFailure.Internal);
        }
        catch (Exception)
        {
            // OutOfMemoryException and friends: report, then let the portal start a fresh process.
            return Done(new SandboxOutcome(null, "the sandbox ran out of memory or failed", SandboxFailure.MemoryLimit, "", false, 0), recycle: true);
        }
    }

    /// <summary>
    /// Compiles the engine's hot paths before the worker reports ready, so no execution pays for the JIT: the same
    /// script shape a caller sends, with a tool call, its promise and its JSON result, run a few times so that the
    /// methods an execution needs are past their first, slowest compilation.
    /// </summary>
    private static void WarmUp()
    {
        const string script = """
            async () => {
              const r = await codemode.warm_up({ items: [1, 2, 3], text: 'x' });
              const a = [1, 2].map((x) => x * 2);
              console.log('warm', a.length);
              return JSON.stringify({ a, r, n: Object.keys(r).length });
            }
            """;
        var tools = new Dictionary<string, string> { ["warm_up"] = "warm_up" };
        var result = Envelope.Value(new System.Text.Json.Nodes.JsonObject { ["content"] = "ok", ["count"] = 3 });
        var request = new SandboxRequest(script, SandboxMode.Execute, tools, () => "[]", _ => "",
            (_, _, _) => Task.FromResult(result));
        for (var i = 0; i < WarmUpRuns; i++) JsSandbox.Run(request, new CodeModeSettings(), CancellationToken.None);
    }

    private const int WarmUpRuns = 3;

    private static WorkerMessage Done(SandboxOutcome outcome, bool recycle) => new()
    {
        Type = "done",
        Ok = outcome.Succeeded,
        Text = outcome.Succeeded ? outcome.ResultJson : outcome.Error,
        Failure = outcome.Failure,
        Logs = outcome.Logs,
        LogsTruncated = outcome.LogsTruncated,
        ToolCalls = outcome.ToolCalls,
        Recycle = recycle,
    };

    private static SandboxRequest Request(WorkerMessage run, FrameChannel channel, ConcurrentDictionary<long, TaskCompletionSource<string>> pending)
    {
        var limits = run.Limits ?? new CodeModeSettings();
        var callFrameLimit = FrameChannel.RequestFrameLimit(limits);
        long next = 0;
        Task<string> Ask(string type, string? name, string? text)
        {
            var id = Interlocked.Increment(ref next);
            // Continuations run on the reader thread that sets the result: the sandbox's only one queues the answer
            // for the engine thread and returns, so the reader is never held.
            var waiter = new TaskCompletionSource<string>();
            pending[id] = waiter;
            var message = new WorkerMessage { Type = type, Id = id, Name = name, Text = text };
            if (type != "call") channel.Write(message);
            else if (!Fits(text ?? "", limits.MaxArgumentBytes, out var size) || !channel.TryWrite(message, callFrameLimit))
            {
                // Over maxArgumentBytes: the portal reads no call frame that large, so the call goes as its size,
                // for the portal to refuse and audit.
                channel.Write(new WorkerMessage { Type = type, Id = id, Name = Shorten(name), Size = Math.Max(size, limits.MaxArgumentBytes + 1L) });
            }
            return waiter.Task;
        }
        return new SandboxRequest(run.Code ?? "", run.Mode, run.ToolIds ?? [],
            () => Ask("tools", null, null).GetAwaiter().GetResult(),
            names => Ask("declarations", null, names).GetAwaiter().GetResult(),
            (name, json, _) => Ask("call", name, json));
    }

    /// <summary>Whether <paramref name="json"/> is at most <paramref name="limit"/> UTF-8 bytes (counted, not copied).</summary>
    private static bool Fits(string json, int limit, out long size)
    {
        // A char is at most three UTF-8 bytes: short texts need no count.
        size = json.Length <= limit / 3 ? json.Length : System.Text.Encoding.UTF8.GetByteCount(json);
        return json.Length <= limit / 3 || size <= limit;
    }

    // No exposed tool name is this long (64 characters at most); a script's made-up one is cut, not sent whole.
    private static string? Shorten(string? name) => name is { Length: > 256 } ? name[..256] : name;
}
