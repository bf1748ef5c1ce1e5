using Microsoft.Extensions.Logging;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// Sends what the cursor has not seen acknowledged, a batch at a time: send, wait for the acknowledgement (retrying
/// with exponential backoff), then record the batch in the cursor and persist it. A crash or a kill anywhere in
/// between leaves the cursor before the in-flight batch, which the next run sends again: at-least-once delivery,
/// where duplicates are limited to that one batch.
/// </summary>
internal sealed partial class SiemDelivery(SiemEventReader reader, ISiemSink sink, SiemCursor cursor, SiemDeliveryOptions options,
    TimeProvider time, ILogger<SiemDelivery> log)
{
    /// <summary>Delivers everything pending now; returns the number of events acknowledged.</summary>
    /// <exception cref="SiemSinkException">A batch was not acknowledged after every retry; earlier batches are kept.</exception>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var batch in reader.Pending(cursor).Chunk(options.BatchSize))
        {
            await SendWithRetryAsync(batch, cancellationToken);
            cursor.Acknowledge(batch);
            cursor.Save();
            sent += batch.Length;
            LogAcknowledged(batch.Length, sink.Display);
        }
        // Compaction of the action prefix happens while reading; keep it even when nothing was sent.
        cursor.Save();
        return sent;
    }

    private async Task SendWithRetryAsync(SiemEvent[] batch, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                await sink.SendAsync(batch, cancellationToken);
                return;
            }
            catch (SiemSinkException e) when (e.Retryable && retry < options.Retries)
            {
                var wait = options.Backoff(retry + 1);
                LogRetry(sink.Display, e.Message, wait.TotalSeconds, retry + 1, options.Retries);
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} events acknowledged by {Sink}")]
    private partial void LogAcknowledged(int count, string sink);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sink} did not acknowledge a batch ({Error}); retry in {Seconds:0.#} s ({Retry} of {Retries})")]
    private partial void LogRetry(string sink, string error, double seconds, int retry, int retries);
}
