using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShadowMcp.Classifier;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Core.Store;
using ShadowMcp.Hosts.Fleet;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// <c>POST /api/sensors/results</c> on <c>shadowmcp serve</c>: one <see cref="SensorBatch"/> from a remote sensor
/// (gzip or plain JSON, a sensor token). Stored as the capture "sensor:NAME/SOURCE", so findings from several sensors
/// about one endpoint merge into one finding whose sources name the sensors, and a batch sent again replaces its
/// earlier copy instead of adding to it; an older snapshot of a capture than the one stored is acknowledged and
/// dropped. Verdicts are judged again with serve's own rules and sanctioned list. Every call, accepted or refused,
/// is audited (<c>host_ingest_audit</c>, outcome "sensor-...") and logged.
/// </summary>
public static partial class SensorIngestEndpoint
{
    public const string SourcePrefix = "sensor:";

    public static IEndpointConventionBuilder MapShadowMcpSensorIngest(this IEndpointRouteBuilder app) =>
        app.MapPost(RemoteResultSink.IngestPath, (Func<HttpContext, Task<IResult>>)HandleAsync);

    /// <summary>The sensor tokens, their own kind beside the host-ingest ones, bound to sensor names or not.</summary>
    public sealed record Tokens(SensorTokens Accepted);

    /// <summary>Batches being read and stored now (Sensors:MaxConcurrentBatches); one over it is answered 429.</summary>
    public sealed class Slots(int count) : IDisposable
    {
        private readonly SemaphoreSlim _free = new(Math.Max(1, count), Math.Max(1, count));
        public bool TryTake() => _free.Wait(0);
        public void Give() => _free.Release();
        public void Dispose() => _free.Dispose();
    }

    /// <summary>The classifier used to judge reported findings, built from serve's settings at each call.</summary>
    public sealed class Judge(Func<McpClassifier?> create)
    {
        public McpClassifier? Create() => create();
    }

    // A repeated property is refused: a proxy or log reading the first "sensor" must not see another name than the one
    // stored (the serializer would keep the last).
    private static readonly JsonSerializerOptions Strict = new(JsonDefaults.Options) { AllowDuplicateProperties = false };

    /// <summary>Most changed fields named in an answer; the audit row keeps what fits in its detail.</summary>
    private const int MaxNamedChanges = 50;

    private static async Task<IResult> HandleAsync(HttpContext ctx)
    {
        var services = ctx.RequestServices;
        var options = services.GetRequiredService<IOptions<SensorIngestOptions>>().Value;
        var tokens = services.GetRequiredService<Tokens>().Accepted;
        var audit = services.GetRequiredService<HostInventoryStore>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ShadowMcp.Sensors.Ingest");
        var remote = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";

        // Whatever came from the body is escaped before it reaches the audit, the log or the answer.
        IResult Answer(int status, string outcome, string detail, string? sensor = null, string? key = null, IReadOnlyList<string>? changed = null)
        {
            detail = SensorBatchCheck.Escape(detail);
            sensor = sensor is null ? null : SensorBatchCheck.Escape(sensor);
            key = key is null ? null : SensorBatchCheck.Escape(key);
            audit.Audit(new HostIngestAuditRow
            {
                At = time.GetUtcNow().UtcDateTime, Remote = remote, Outcome = "sensor-" + outcome, Detail = Clip(detail),
                HostName = Clip(sensor), ScanId = Clip(key),
            });
            if (status >= 400) LogRefused(logger, remote, outcome, detail);
            else LogAccepted(logger, sensor ?? "", remote, outcome, detail);
            object body = outcome == "store-error" ? new { error = "the centre's store cannot be written now; send the batch again later" }
                : status >= 400 ? new { error = detail }
                : changed is { Count: > 0 } ? new { status = outcome, changed = changed.Take(MaxNamedChanges) }
                : new { status = outcome };
            return Results.Json(body, JsonDefaults.Options, statusCode: status);
        }

        var match = tokens.Verify(IngestTokens.BearerOf(ctx.Request));
        if (!match.Accepted)
        {
            ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"shadowmcp-sensor-ingest\"";
            return Answer(StatusCodes.Status401Unauthorized, "unauthorized", tokens.IsConfigured
                ? "a valid sensor token is required"
                : "no sensor token is configured (Sensors:IngestTokens or Sensors:SensorTokens)");
        }

        // A bounded number of bodies are read at once, each within a deadline: many or slow batches cannot fill the
        // centre's memory or hold every slot. The sensor keeps a batch answered 429 or 408 and sends it again.
        var slots = services.GetRequiredService<Slots>();
        if (!slots.TryTake())
        {
            ctx.Response.Headers.RetryAfter = "5";
            return Answer(StatusCodes.Status429TooManyRequests, "busy",
                $"{options.MaxConcurrentBatches} batches are being read; send this one again later");
        }
        try
        {
            return await ReceiveAsync(ctx, options, match, tokens, time, services, Answer);
        }
        finally
        {
            slots.Give();
        }
    }

    private static async Task<IResult> ReceiveAsync(HttpContext ctx, SensorIngestOptions options, SensorTokens.Match match,
        SensorTokens tokens, TimeProvider time, IServiceProvider services,
        Func<int, string, string, string?, string?, IReadOnlyList<string>?, IResult> answer)
    {
        // Kestrel's own limit (30 MB) would cut a body under Sensors:MaxBodyBytes with an unaudited error.
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = options.MaxBodyBytes;
        SensorBatch? batch;
        using var deadline = new CancellationTokenSource(options.BodyTimeout, time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ctx.RequestAborted);
        try
        {
            var gzip = ctx.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
            await using var raw = gzip ? new GZipStream(ctx.Request.Body, CompressionMode.Decompress) : ctx.Request.Body;
            // The limit applies to the decompressed bytes too, so a small gzip bomb cannot fill memory.
            await using var limited = new LimitedReadStream(raw, options.MaxBodyBytes);
            batch = await JsonSerializer.DeserializeAsync<SensorBatch>(limited, Strict, reading.Token);
        }
        catch (LimitedReadStream.TooLargeException)
        {
            return answer(StatusCodes.Status413PayloadTooLarge, "too-large", $"body over {options.MaxBodyBytes} bytes", null, null, null);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's verdict on the request itself: over the size limit, or a body too slow for its minimum rate.
            var (outcome, reason) = ex.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => ("too-large", $"body over {options.MaxBodyBytes} bytes"),
                StatusCodes.Status408RequestTimeout => ("timeout", "the body came too slowly"),
                _ => ("invalid", "not a sensor batch: the request body is malformed"),
            };
            return answer(ex.StatusCode, outcome, reason, null, null, null);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ctx.RequestAborted.IsCancellationRequested)
        {
            return answer(StatusCodes.Status408RequestTimeout, "timeout",
                $"the body was not read within {options.BodyTimeout.TotalSeconds:0} s", null, null, null);
        }
        catch (JsonException ex)
        {
            // The serializer's message without its position, and the field it stopped at.
            var message = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.');
            var path = ex.Path is { Length: > 1 } p ? (p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : p) + ": " : "";
            return answer(StatusCodes.Status400BadRequest, "invalid", $"not a sensor batch: {path}{message}", null, null, null);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            return answer(StatusCodes.Status400BadRequest, "invalid", $"not a sensor batch: {ex.Message.Split('.')[0]}", null, null, null);
        }
        if (batch is null) return answer(StatusCodes.Status400BadRequest, "invalid", "empty body", null, null, null);
        var latest = time.GetUtcNow().UtcDateTime + options.MaxClockSkew;
        if (SensorBatchCheck.Refusal(batch, options.MaxFindings, latest) is { } why)
            return answer(StatusCodes.Status400BadRequest, "invalid", why, batch.Sensor, batch.Key, null);
        // The name is checked against the credential: a token bound to a sensor reports as that sensor only.
        if (tokens.Forbidden(match, batch.Sensor) is { } forbidden)
            return answer(StatusCodes.Status403Forbidden, "forbidden", forbidden, batch.Sensor, batch.Key, null);
        var changed = new List<string>();
        batch = SensorBatchCheck.Neutralize(batch, changed);

        var judge = services.GetRequiredService<Judge>().Create();
        if (judge is null)
            return answer(StatusCodes.Status503ServiceUnavailable, "unavailable", "serve's detection settings do not load",
                batch.Sensor, batch.Key, null);
        var findings = batch.Findings.Select(d => d.ToFinding()).ToList();
        foreach (var f in findings) judge.Rejudge(f);

        bool stored;
        try
        {
            stored = services.GetRequiredService<SensorResultStore>().Save(batch, findings);
        }
        catch (Exception ex) when (ex is StoreException or System.Data.Common.DbException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            // The sensor keeps the batch in its spool and sends it again. The store's own message names the problem in
            // the audit and the log; the sensor is told no more than that (it names the centre's store and its user).
            var cause = ex is Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: { } inner } ? inner.Message : ex.Message;
            return answer(StatusCodes.Status503ServiceUnavailable, "store-error", cause, batch.Sensor, batch.Key, null);
        }
        var detail = $"{findings.Count} findings from {batch.Source}" + (batch.Parts > 1 ? $" (part {batch.Part} of {batch.Parts})" : "")
            + (changed.Count > 0 ? $"; {changed.Count} fields escaped or cut: {string.Join(", ", changed.Take(MaxNamedChanges))}" : "");
        return answer(StatusCodes.Status200OK, stored ? "stored" : "stale", detail, batch.Sensor, batch.Key, changed);
    }

    private static string? Clip(string? text) => text is { Length: > 255 } ? text[..255] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor results refused from {Remote}: {Outcome}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string remote, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sensor results from {Sensor} at {Remote}: {Outcome} ({Detail})")]
    private static partial void LogAccepted(ILogger logger, string sensor, string remote, string outcome, string detail);
}
