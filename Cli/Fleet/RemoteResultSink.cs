using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// A remote sensor's store: each result is spooled to disk first, then everything waiting is sent to the centre in
/// the order it was made (gzip JSON, Bearer sensor token), each batch removed only once the centre acknowledged it.
/// While the centre is down, batches wait in the spool and are sent by the next save or the next run; when the centre
/// refuses the sensor (bad token, wrong address) every batch stays, and the refusal is logged. A batch refused for what
/// it holds (over the centre's size limit, invalid) is set aside in the spool's <c>refused</c> folder with the reason,
/// so it is kept for an operator but does not hold back every later batch. A save never fails because the centre is
/// away: the spool is the durable copy. A live sensor wraps it in <see cref="BackgroundDelivery"/>, so delivery never
/// runs on the capture thread.
/// </summary>
public sealed partial class RemoteResultSink(RemoteSinkOptions options, HttpClient http, ILogger logger, TimeProvider? time = null)
    : IScanResultSink
{
    public const string IngestPath = "/api/sensors/results";
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ResultSpool _spool = new(options.SpoolDirectory, options.SpoolMaxBytes);
    private readonly Lock _delivering = new();
    // After a failed delivery the centre is left alone until this time, so a scan of many files while it is down
    // spools them without waiting out the retries for each one.
    private DateTimeOffset _quietUntil;

    /// <summary>Batches still waiting (after the last delivery attempt).</summary>
    public int Waiting => _spool.Pending().Count;

    /// <summary>Batches dropped because the spool was over its cap, since this sink was made.</summary>
    public int Discarded { get; private set; }

    public void SaveFileResult(string filePath, string sha256, long size, ScanStats stats, string? error, IReadOnlyList<Finding> findings,
        DateTime scannedAt)
    {
        Spool(filePath, sha256, size, stats, error, findings, scannedAt);
        Deliver(CancellationToken.None);
    }

    /// <summary>Writes the result to the spool only; <see cref="Deliver"/> sends it.</summary>
    public void Spool(string filePath, string sha256, long size, ScanStats stats, string? error, IReadOnlyList<Finding> findings,
        DateTime scannedAt)
    {
        var snapshot = new SensorBatch
        {
            Sensor = options.SensorName, Source = filePath, Key = sha256, ScannedAt = scannedAt, Size = size, Error = error,
            Stats = SensorBatchStats.From(stats), Findings = [.. findings.Select(FindingDocument.From)],
        };
        // Bodies of bounded size, sent in order: the centre refuses one over its Sensors:MaxBodyBytes.
        var now = _time.GetUtcNow().UtcDateTime;
        var parts = SensorBatchParts.Split(snapshot, options.MaxBatchBytes).Select(p => p with { Sequence = _spool.NextSequence(now) });
        var dropped = _spool.Add([.. parts]);
        if (dropped == 0) return;
        Discarded += dropped;
        LogSpoolFull(logger, _spool.DirectoryPath, options.SpoolMaxBytes / (1024 * 1024), dropped);
    }

    /// <summary>
    /// Sends every waiting batch in order; stops at the first one the centre does not take (down, busy, refusing this
    /// sensor). True when nothing waits any more: each batch was acknowledged or, refused for itself, set aside.
    /// </summary>
    /// <param name="ignoreBackoff">Try now even inside the quiet time after a failure (a stopping sensor's last try).</param>
    public bool Deliver(CancellationToken ct, bool ignoreBackoff = false)
    {
        lock (_delivering)
        {
            if (!ignoreBackoff && _time.GetUtcNow() < _quietUntil) return false;
            foreach (var path in _spool.Pending())
            {
                var (delivered, refusedBatch) = SendWithRetries(path, ct);
                if (refusedBatch is not null)
                {
                    // The centre will refuse this batch every time; the ones after it are still worth sending.
                    var kept = _spool.SetAside(path, refusedBatch);
                    if (kept is not null) LogBatchSetAside(logger, options.Target, refusedBatch, kept);
                    continue;
                }
                if (!delivered)
                {
                    _quietUntil = _time.GetUtcNow() + options.Backoff(options.Attempts + 1);
                    return false;
                }
                ResultSpool.Remove(path);
            }
            return true;
        }
    }

    /// <summary>When a delivery that failed may be tried again.</summary>
    public DateTimeOffset QuietUntil => _quietUntil;

    /// <returns>Delivered, or the reason the centre refused this batch for what it holds (never worth resending).</returns>
    private (bool Delivered, string? RefusedBatch) SendWithRetries(string path, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (outcome, detail) = Send(path, ct);
            if (outcome is Outcome.Acknowledged or Outcome.Gone) return (true, null);
            if (outcome == Outcome.RefusedBatch) return (false, detail);
            if (outcome == Outcome.Refused || attempt >= options.Attempts)
            {
                LogNotDelivered(logger, options.Target, detail, _spool.Pending().Count, _spool.DirectoryPath);
                return (false, null);
            }
            // A wait that a stop signal cuts short: the batch is safe in the spool either way.
            try { Task.Delay(options.Backoff(attempt), _time, ct).GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { return (false, null); }
        }
    }

    // Gone: superseded by a newer batch of the same capture (or dropped for the cap) while waiting to be sent.
    // Refused: the centre refuses this sensor (token, address), so every batch would be. RefusedBatch: only this one.
    private enum Outcome { Acknowledged, Gone, Retry, Refused, RefusedBatch }

    private static Outcome Classify(int status) => status switch
    {
        408 or 429 or >= 500 => Outcome.Retry, // busy, overloaded or in a restart: try again
        400 or 413 or 415 or 422 => Outcome.RefusedBatch,
        _ => Outcome.Refused,
    };

    private (Outcome, string) Send(string path, CancellationToken ct)
    {
        byte[] batch;
        try { batch = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return (Outcome.Gone, ""); }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.Target);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
            var body = new ByteArrayContent(batch);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            body.Headers.ContentEncoding.Add("gzip");
            request.Content = body;
            using var response = http.Send(request, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return (Outcome.Acknowledged, "");
            return (Classify(status), $"HTTP {status} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex) { return (Outcome.Retry, ex.HttpRequestError.ToString()); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return (Outcome.Retry, "timed out"); }
        catch (IOException ex) { return (Outcome.Retry, ex.Message); }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "results not delivered to {Target} ({Detail}); {Waiting} batches wait in {Spool} and are sent by the next save or run")]
    private static partial void LogNotDelivered(ILogger logger, Uri target, string detail, int waiting, string spool);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "{Target} refused a batch for what it holds ({Detail}); kept as {Path}, later batches are still sent")]
    private static partial void LogBatchSetAside(ILogger logger, Uri target, string detail, string path);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "spool {Spool} is over its {MaxMiB} MiB cap: dropped the {Dropped} oldest batches")]
    private static partial void LogSpoolFull(ILogger logger, string spool, long maxMiB, int dropped);
}

/// <summary>Where and as whom a remote sensor reports (<c>--report-to</c>).</summary>
public sealed record RemoteSinkOptions(Uri Target, string Token, string SensorName, string SpoolDirectory)
{
    public int Attempts { get; init; } = 3;
    public long SpoolMaxBytes { get; init; } = ResultSpool.DefaultMaxBytes;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(0.5);
    /// <summary>JSON bytes per body at most; a larger snapshot is sent in parts (<see cref="SensorBatchParts"/>).</summary>
    public long MaxBatchBytes { get; init; } = SensorBatchParts.DefaultMaxBytes;

    public TimeSpan Backoff(int retry) => Delivery.ExponentialBackoff.Delay(RetryDelay, TimeSpan.FromSeconds(30), retry);

    public static Uri IngestUri(string reportTo) => new(new Uri(reportTo.TrimEnd('/') + "/"), IngestPath.TrimStart('/'));

    private const string IngestPath = RemoteResultSink.IngestPath;
}
