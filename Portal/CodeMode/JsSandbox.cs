using Acornima.Ast;
using System.Collections.Concurrent;
using System.Text;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// Runs one script in a fresh Jint engine, synchronously, on the calling thread (the runner gives it a dedicated
/// thread: Jint's memory limit counts that thread's allocations). The event loop is ours: tool calls run as .NET
/// tasks and their completions are settled back on this thread, so the wall-clock deadline and the client's
/// cancellation stop both the script and the calls it is waiting for.
/// </summary>
internal static class JsSandbox
{
    // Parsed and analysed once per process; a prepared script is immutable and shared by every engine.
    private static readonly Prepared<Script> Prelude = Engine.PrepareScript(SandboxPrelude.Source);

    public static SandboxOutcome Run(SandboxRequest request, CodeModeSettings limits, CancellationToken cancel)
    {
        var timeout = TimeSpan.FromSeconds(limits.TimeoutSeconds);
        using var deadline = new CancellationTokenSource(timeout);
        // Cancelled as well when the script's promise settles: the run is over then (see Execution.Done).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancel);
        var token = linked.Token;
        var run = new Execution(request, limits, linked.Cancel, token);
        try
        {
            return run.Execute(timeout);
        }
        catch (Exception e)
        {
            var (failure, message) = Classify(e, cancel.IsCancellationRequested, limits);
            return run.Outcome(null, message, failure);
        }
        finally
        {
            // Calls still in flight see the cancellation and give up; their completions are never applied.
            if (!linked.IsCancellationRequested) linked.Cancel();
        }
    }

    private static (SandboxFailure, string) Classify(Exception e, bool clientCancelled, CodeModeSettings limits) => e switch
    {
        _ when clientCancelled => (SandboxFailure.Cancelled, "execution cancelled by the client"),
        System.Text.RegularExpressions.RegexMatchTimeoutException =>
            (SandboxFailure.RegexTimeout, $"a regular expression ran longer than {RegexTimeout(limits).TotalSeconds:0.###} s (catastrophic backtracking?)"),
        ExecutionCanceledException or TimeoutException or OperationCanceledException =>
            (SandboxFailure.Timeout, $"execution timed out after {limits.TimeoutSeconds:0.###} s"),
        MemoryLimitExceededException => (SandboxFailure.MemoryLimit, $"memory limit exceeded ({limits.MemoryBytes / (1024 * 1024)} MB)"),
        OutOfMemoryException => (SandboxFailure.MemoryLimit, "memory limit exceeded: an allocation was larger than the sandbox's heap"),
        StatementsCountOverflowException => (SandboxFailure.StatementLimit, $"statement limit exceeded ({limits.MaxStatements})"),
        RecursionDepthOverflowException => (SandboxFailure.RecursionLimit, $"recursion depth limit exceeded ({limits.MaxRecursionDepth})"),
        InsufficientExecutionStackException => (SandboxFailure.RecursionLimit, "stack overflow"),
        JavaScriptException js => (SandboxFailure.ScriptError, Safe(js.Message)),
        CodeShapeException shape => (SandboxFailure.ScriptError, shape.Message),
        Acornima.ParseErrorException parse => (SandboxFailure.ScriptError, "SyntaxError: " + Safe(parse.Description)),
        ScriptPreparationException { InnerException: Acornima.ParseErrorException parse } =>
            (SandboxFailure.ScriptError, $"SyntaxError: {Safe(parse.Description)} (line {parse.LineNumber - 1}, column {parse.Column})"),
        SandboxLimitException limit => (limit.Failure, limit.Message),
        _ => (SandboxFailure.Internal, "internal error while running the script"),
    };

    private static TimeSpan RegexTimeout(CodeModeSettings limits) => TimeSpan.FromSeconds(Math.Min(2, limits.TimeoutSeconds));

    private static string Safe(string? message)
    {
        var text = string.IsNullOrEmpty(message) ? "error" : message;
        return text.Length > 2000 ? text[..2000] + "…" : text;
    }

    /// <summary>Arguments up to this size are sent from the engine thread (see Call).</summary>
    private const int EngineThreadCallChars = 64 * 1024;

    /// <summary>One execution's state: the engine, the pending-call queue and what the script reported.</summary>
    private sealed class Execution(SandboxRequest request, CodeModeSettings limits, Action finish, CancellationToken token)
    {
        private readonly BlockingCollection<(Action<JsValue> Settle, string Envelope)> _completions = [];
        private readonly StringBuilder _logs = new();
        private bool _logsTruncated;
        private int _calls;
        private int _pending;
        private bool _done;
        private string? _result;
        private string? _error;

        public SandboxOutcome Outcome(string? result, string? error, SandboxFailure failure) =>
            new(result, error, error is null ? SandboxFailure.None : failure, _logs.ToString(), _logsTruncated, _calls);

        public SandboxOutcome Execute(TimeSpan timeout)
        {
            var engine = new Engine(o =>
            {
                o.Host.StringCompilationAllowed = false;
                o.Interop.Enabled = false;
                o.LimitMemory(limits.MemoryBytes);
                o.MaxStatements(limits.MaxStatements);
                o.LimitRecursion(limits.MaxRecursionDepth);
                o.TimeoutInterval(timeout);
                o.CancellationToken(token);
                o.Constraints.MaxArraySize = limits.MaxArraySize;
                o.Constraints.StackOverflowGuard = true;
                o.Constraints.PromiseTimeout = timeout;
                o.Constraints.RegexTimeout = RegexTimeout(limits);
                // A UTC clock: the host's time zone and culture are not the script's business.
                o.TimeZone = TimeZoneInfo.Utc;
                o.Culture = System.Globalization.CultureInfo.InvariantCulture;
                o.EnableModules(new NoModules());
            });

            var prelude = engine.Evaluate(Prelude);
            var start = engine.Invoke(prelude,
                Host(engine, "call", (_, a) => Call(engine, a)),
                Host(engine, "log", (_, a) => Log(a)),
                Host(engine, "tools", (_, _) => Json(request.Mode == SandboxMode.Search ? request.ToolsJson() : "[]")),
                Host(engine, "declarations", (_, a) => Json(request.Declarations(Arg(a, 0)))),
                Host(engine, "done", (_, a) => Done(a)),
                new JsString(System.Text.Json.JsonSerializer.Serialize(request.Mode == SandboxMode.Execute ? request.ToolIds : new Dictionary<string, string>())),
                new JsString(request.Mode == SandboxMode.Search ? "search" : "execute"));

            var fn = engine.Evaluate(CodeShape.Prepare(request.Code));
            engine.Invoke(start, fn);
            Loop(engine, timeout);
            if (_error is not null) return Outcome(null, _error, SandboxFailure.ScriptError);
            if (_result is null || _result.Length > limits.MaxJsonChars)
                return Outcome(null, $"result larger than {limits.MaxJsonChars} characters of JSON", SandboxFailure.OutputLimit);
            return Outcome(_result, null, SandboxFailure.None);
        }

        private void Loop(Engine engine, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (true)
            {
                try { engine.Advanced.ProcessTasks(); }
                // Jobs the script left queued stop at their next statement once the result is in (see Done); so
                // does any limit they reach on the way. A real out-of-memory still ends the worker.
                catch (Exception e) when (_done && e is not OutOfMemoryException) { return; }
                if (_done) return;
                token.ThrowIfCancellationRequested();
                if (_pending == 0)
                    throw new SandboxLimitException(SandboxFailure.NeverSettled,
                        "the script's promise can never settle: nothing is pending (was a promise left unresolved?)");
                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_completions.TryTake(out var completion, (int)Math.Ceiling(left.TotalMilliseconds), token)) throw new TimeoutException();
                _pending--;
                completion.Settle(new JsString(completion.Envelope));
            }
        }

        private JsValue Call(Engine engine, JsValue[] args)
        {
            var (promise, resolve, _) = engine.Advanced.RegisterPromise();
            var name = Arg(args, 0);
            var json = Arg(args, 1);
            // The call limit, argument size and shape are the portal's to enforce and audit; an argument text over
            // maxArgumentBytes travels as its size alone (see CodeModeWorker), enough for the portal to refuse it.
            _calls++;
            if (_done || token.IsCancellationRequested) { resolve(new JsString(Envelope.Error("execution is over"))); return promise; }
            _pending++;
            // A small call is sent from the engine thread (the request's CallTool writes one frame and returns the
            // pending answer), so no thread-pool hop sits between the script and the portal. A large one is sent
            // from the pool: Jint counts this thread's allocations against the script's memory limit, and the
            // frame's copies of an argument the limits allow must not be charged to the script.
            Task<string> answer;
            try
            {
                answer = json.Length <= EngineThreadCallChars
                    ? request.CallTool(name, json, token)
                    : Task.Run(() => request.CallTool(name, json, token), token);
            }
            catch (Exception e) when (e is not OutOfMemoryException) { answer = Task.FromException<string>(e); }
            answer.ContinueWith(t =>
            {
                var envelope = t.IsCompletedSuccessfully ? t.Result : Envelope.Error(t.IsCanceled ? "tool call cancelled" : "tool call failed");
                _completions.Add((resolve, envelope));
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return promise;
        }

        private JsValue Log(JsValue[] args)
        {
            if (_logsTruncated) return JsValue.Undefined;
            var line = Arg(args, 1);
            var room = limits.MaxLogChars - _logs.Length;
            if (line.Length + 1 > room)
            {
                _logs.Append(line.AsSpan(0, Math.Max(0, Math.Min(line.Length, room)))).Append("\n…[console output truncated]");
                _logsTruncated = true;
            }
            else
            {
                var level = Arg(args, 0);
                if (level != "log") _logs.Append('[').Append(level).Append("] ");
                _logs.Append(line).Append('\n');
            }
            return JsValue.Undefined;
        }

        /// <summary>
        /// The script's promise settled: that is the end of the run. Before, jobs the script left queued (an
        /// unawaited async function) kept running after the result, sent tool calls the upstream received, and a
        /// job that never stopped turned the reported result into a limit failure. Cancelling the engine's token
        /// stops them at their next statement, and no call leaves the run after this.
        /// </summary>
        private JsValue Done(JsValue[] args)
        {
            _done = true;
            if (args.Length > 0 && args[0].IsBoolean() && args[0].AsBoolean()) _result = Arg(args, 1);
            else _error = Safe(Arg(args, 1));
            finish();
            return JsValue.Undefined;
        }

        private static JsValue Json(string text) => new JsString(text);

        private static string Arg(JsValue[] args, int i) => args.Length > i && args[i].IsString() ? args[i].AsString() : "";

        private static ClrFunction Host(Engine engine, string name, Func<JsValue, JsValue[], JsValue> body) => new(engine, name, body);
    }
}
