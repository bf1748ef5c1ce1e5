using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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

    /// <summary>The sensor tokens, their own kind beside the host-ingest ones.</summary>
    public sealed record Tokens(IngestTokens Accepted);

    /// <summary>The classifier used to judge reported findings, built from serve's settings at each call.</summary>
    public sealed class Judge(Func<McpClassifier?> create)
    {
        public McpClassifier? Create() => create();
    }

    private static async Task<IResult> HandleAsync(HttpContext ctx)
    {
        var services = ctx.RequestServices;
        var options = services.GetRequiredService<IOptions<SensorIngestOptions>>().Value;
        var tokens = services.GetRequiredService<Tokens>().Accepted;
        var audit = services.GetRequiredService<HostInventoryStore>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ShadowMcp.Sensors.Ingest");
        var remote = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";

        IResult Answer(int status, string outcome, string detail, string? sensor = null, string? key = null)
        {
            audit.Audit(new HostIngestAuditRow
            {
                At = time.GetUtcNow().UtcDateTime, Remote = remote, Outcome = "sensor-" + outcome, Detail = Clip(detail),
                HostName = Clip(sensor), ScanId = Clip(key),
            });
            if (status >= 400) LogRefused(logger, remote, outcome, detail);
            else LogAccepted(logger, sensor ?? "", remote, outcome, detail);
            return Results.Json(status >= 400 ? new { error = detail } : (object)new { status = outcome }, JsonDefaults.Options,
                statusCode: status);
        }

        if (!tokens.Verify(IngestTokens.BearerOf(ctx.Request)))
        {
            ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"shadowmcp-sensor-ingest\"";
            return Answer(StatusCodes.Status401Unauthorized, "unauthorized", tokens.IsConfigured
                ? "a valid sensor token is required"
                : "no sensor token is configured (Sensors:IngestTokens)");
        }

        SensorBatch? batch;
        try
        {
            var gzip = ctx.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
            await using var raw = gzip ? new GZipStream(ctx.Request.Body, CompressionMode.Decompress) : ctx.Request.Body;
            // The limit applies to the decompressed bytes too, so a small gzip bomb cannot fill memory.
            await using var limited = new LimitedReadStream(raw, options.MaxBodyBytes);
            batch = await JsonSerializer.DeserializeAsync<SensorBatch>(limited, JsonDefaults.Options, ctx.RequestAborted);
        }
        catch (LimitedReadStream.TooLargeException)
        {
            return Answer(StatusCodes.Status413PayloadTooLarge, "too-large", $"body over {options.MaxBodyBytes} bytes");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException)
        {
            return Answer(StatusCodes.Status400BadRequest, "invalid", $"not a sensor batch: {ex.Message.Split('.')[0]}");
        }
        if (batch is null) return Answer(StatusCodes.Status400BadRequest, "invalid", "empty body");
        if (Invalid(batch, options) is { } why) return Answer(StatusCodes.Status400BadRequest, "invalid", why, batch.Sensor, batch.Key);

        var judge = services.GetRequiredService<Judge>().Create();
        if (judge is null)
            return Answer(StatusCodes.Status503ServiceUnavailable, "unavailable", "serve's detection settings do not load",
                batch.Sensor, batch.Key);
        var findings = batch.Findings.Select(d => d.ToFinding()).ToList();
        foreach (var f in findings) judge.Rejudge(f);

        bool stored;
        try
        {
            stored = services.GetRequiredService<SensorResultStore>().Save(batch, findings);
        }
        catch (StoreException ex)
        {
            // The sensor keeps the batch in its spool and sends it again; the store's own message names the problem.
            return Answer(StatusCodes.Status503ServiceUnavailable, "store-error", ex.Message, batch.Sensor, batch.Key);
        }
        return Answer(StatusCodes.Status200OK, stored ? "stored" : "stale",
            $"{findings.Count} findings from {batch.Source}" + (batch.Parts > 1 ? $" (part {batch.Part} of {batch.Parts})" : ""),
            batch.Sensor, batch.Key);
    }

    private static string? Invalid(SensorBatch b, SensorIngestOptions o)
    {
        if (!ValidName(b.Sensor, 128)) return "sensor is missing, longer than 128 characters or has control characters";
        if (!ValidName(b.Source, 1024)) return "source is missing, longer than 1024 characters or has control characters";
        if (!ValidName(b.Key, 128)) return "key is missing, longer than 128 characters or has control characters";
        // "required" only asks that a field be present: a JSON null gets past the parser.
        if (b.Findings is null) return "findings are missing";
        if (b.Findings.Count > o.MaxFindings) return $"more than {o.MaxFindings} findings";
        if (b.Parts < 1 || b.Part < 1 || b.Part > b.Parts) return "part must be between 1 and parts";
        if (b.Findings.Any(f => f is null || f.Endpoint is null)) return "a finding has no endpoint";
        if (b.Stats is null) return "stats are missing";
        if (b.Stats.FirstNegative() is { } negative) return $"stats.{negative} is negative";
        return null;
    }

    private static bool ValidName(string? text, int max) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= max && !text.Any(char.IsControl);

    private static string? Clip(string? text) => text is { Length: > 255 } ? text[..255] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor results refused from {Remote}: {Outcome}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string remote, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sensor results from {Sensor} at {Remote}: {Outcome} ({Detail})")]
    private static partial void LogAccepted(ILogger logger, string sensor, string remote, string outcome, string detail);
}
