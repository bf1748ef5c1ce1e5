using System.Text.Json.Nodes;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode.Worker;

/// <summary>
/// One execution a fresh worker serves before it joins the pool: a script that makes a tool call, answered here.
/// The worker warms its engine in-process before "ready", but the frames, the serializer and the reply path
/// only run with a portal on the other end, and a fresh worker's first real execution paid for their JIT
/// (hundreds of milliseconds on a busy host: the p99 of a trivial execute).
/// </summary>
internal static class WorkerWarmUp
{
    private const string Script = "async () => { const r = await codemode.warm_up({ text: 'x' }); return [r.text, r.items.length]; }";

    /// <returns>True when the worker answered as a healthy worker does.</returns>
    public static async Task<bool> RunAsync(WorkerProcess worker, CodeModeSettings settings, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await worker.Frames.WriteAsync(new WorkerMessage
            {
                Type = "run", Code = Script, Mode = SandboxMode.Execute, Limits = settings,
                ToolIds = new Dictionary<string, string> { ["warm_up"] = "warm_up" },
            }, timeout.Token);
            while (true)
            {
                var message = await worker.Inbox.ReadAsync(timeout.Token);
                if (message.Type == "done") return message.Ok && !message.Recycle;
                if (message.Type != "call") return false;
                var value = new JsonObject { ["text"] = "x", ["items"] = new JsonArray(1, 2, 3) };
                await worker.Frames.WriteAsync(new WorkerMessage { Type = "reply", Id = message.Id, Text = Envelope.Value(value) }, timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException
            or IOException or ObjectDisposedException or InvalidDataException)
        {
            return false;
        }
    }
}
