using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShadowMcp.Core.Serialization;
using ShadowMcp.Core.Store;
using ShadowMcp.Hosts.Inventory;
using ShadowMcp.Hosts.Output;
using ShadowMcp.Hosts.Packages;
using ShadowMcp.Hosts.Verdicts;

namespace ShadowMcp.Hosts.Fleet;

/// <summary>
/// <c>POST /api/hosts/inventory</c> on <c>shadowmcp serve</c>: a host-ingest token (Bearer), a body no bigger than
/// <see cref="HostIngestOptions.MaxBodyBytes"/>, one <see cref="HostReportDocument"/>. Each (host, scan id) is
/// stored once (201, then 200 "duplicate"); verdicts are recomputed here with serve's own settings, so a host
/// cannot declare its own servers sanctioned. Every call, accepted or refused, is audited.
/// </summary>
public static partial class HostIngestEndpoint
{
    public static IServiceCollection AddShadowMcpHostIngest(this IServiceCollection services,
        Func<HostVerdicts>? verdicts)
    {
        static HostIngestOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<HostIngestOptions>>().Value;
        services.AddSingleton(sp => new HostInventoryStore(Options(sp).Database));
        services.AddSingleton(sp => new IngestTokens(Options(sp).IngestTokens));
        services.AddSingleton(new HostVerdictSource(verdicts ?? (() => HostVerdicts.None)));
        return services;
    }

    public static IEndpointConventionBuilder MapShadowMcpHostIngest(this IEndpointRouteBuilder app) =>
        app.MapPost(InventoryUploader.IngestPath, (Func<HttpContext, Task<IResult>>)HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext ctx)
    {
        var services = ctx.RequestServices;
        var options = services.GetRequiredService<IOptions<HostIngestOptions>>().Value;
        var store = services.GetRequiredService<HostInventoryStore>();
        var tokens = services.GetRequiredService<IngestTokens>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ShadowMcp.Hosts.Ingest");
        var remote = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";

        IResult Refuse(int status, string outcome, string detail, string? host = null, string? scan = null)
        {
            store.Audit(new HostIngestAuditRow
            {
                At = time.GetUtcNow().UtcDateTime, Remote = remote, Outcome = outcome, Detail = detail,
                HostName = host, ScanId = scan,
            });
            LogRefused(logger, remote, outcome, detail);
            return Results.Json(new { error = detail }, JsonDefaults.Options, statusCode: status);
        }

        if (!tokens.Verify(IngestTokens.BearerOf(ctx.Request)))
        {
            ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"shadowmcp-host-ingest\"";
            return Refuse(StatusCodes.Status401Unauthorized, "unauthorized",
                tokens.IsConfigured
                    ? "a valid host-ingest token is required"
                    : "no host-ingest token is configured (Hosts:IngestTokens)");
        }
        if (ctx.Request.ContentLength > options.MaxBodyBytes)
            return Refuse(StatusCodes.Status413PayloadTooLarge, "too-large", $"body over {options.MaxBodyBytes} bytes");

        var body = await ReadLimitedAsync(ctx.Request.Body, options.MaxBodyBytes, ctx.RequestAborted);
        if (body is null)
            return Refuse(StatusCodes.Status413PayloadTooLarge, "too-large", $"body over {options.MaxBodyBytes} bytes");
        HostReportDocument? report;
        try
        {
            report = JsonSerializer.Deserialize<HostReportDocument>(body, JsonDefaults.Options);
        }
        catch (JsonException ex)
        {
            return Refuse(StatusCodes.Status400BadRequest, "invalid",
                $"not a host inventory: line {(ex.LineNumber ?? 0) + 1}: {ex.Message.Split('.')[0]}");
        }
        if (report is null) return Refuse(StatusCodes.Status400BadRequest, "invalid", "empty body");
        if (Invalid(report, options) is { } why)
            return Refuse(StatusCodes.Status400BadRequest, "invalid", why, Clip(report.HostName), Clip(report.ScanId));

        var verdicts = services.GetRequiredService<HostVerdictSource>().Create();
        report = report with { Servers = [.. report.Servers.Select(s => Rejudge(s, verdicts))] };
        var stored = store.Save(report, time.GetUtcNow().UtcDateTime);
        var outcome = stored ? "stored" : "duplicate";
        store.Audit(new HostIngestAuditRow
        {
            At = time.GetUtcNow().UtcDateTime, Remote = remote, Outcome = outcome,
            HostName = report.HostName, ScanId = report.ScanId,
            Detail = $"{report.Servers.Length} servers, {report.Secrets.Length} secrets",
        });
        LogAccepted(logger, report.HostName, report.ScanId, remote, outcome, report.Servers.Length);
        return Results.Json(new { status = outcome, servers = report.Servers.Length }, JsonDefaults.Options,
            statusCode: stored ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static string? Invalid(HostReportDocument r, HostIngestOptions o)
    {
        if (string.IsNullOrWhiteSpace(r.HostName) || r.HostName.Length > 255)
            return "hostName is missing or longer than 255 characters";
        if (string.IsNullOrWhiteSpace(r.ScanId) || r.ScanId.Length > 64)
            return "scanId is missing or longer than 64 characters";
        if (r.Servers.Length + r.Secrets.Length + r.Errors.Length > o.MaxRows) return $"more than {o.MaxRows} rows";
        // A host never sends a secret's value; a document that carries one is refused rather than stored.
        if (r.Secrets.Any(s => s.Value != Inventory.SecretHit.Redacted))
            return "secrets[].value must be the redaction marker";
        return null;
    }

    /// <summary>An invalid document's names go into the audit row bounded.</summary>
    private static string? Clip(string? text) => text is { Length: > 255 } ? text[..255] : text;

    /// <summary>The verdict serve's settings give this server, whatever the host said.</summary>
    private static HostReportDocument.ServerRow Rejudge(HostReportDocument.ServerRow s, HostVerdicts verdicts)
    {
        var declared = new DeclaredServer
        {
            Agent = s.Agent, Scope = s.Scope, ConfigPath = s.ConfigPath, Name = s.Name, Transport = s.Transport,
            Url = s.Url, Command = s.Command,
            Package = s.Ecosystem is { } e && s.Package is { } p
                ? new PackageRef(e, p, s.Version, s.Launcher ?? "")
                : null,
        };
        var (verdict, reason) = verdicts.Judge(declared);
        return s with { Verdict = Core.Findings.VerdictNames.ToWire(verdict), VerdictReason = reason };
    }

    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > max) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host inventory refused from {Remote}: {Outcome}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string remote, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Host inventory {Host}/{ScanId} from {Remote}: {Outcome} ({Servers} servers)")]
    private static partial void LogAccepted(ILogger logger, string host, string scanId, string remote, string outcome,
        int servers);
}

/// <summary>Builds the verdict rules from serve's settings at each ingest, so an edited allow list applies at once.</summary>
public sealed class HostVerdictSource(Func<HostVerdicts> create)
{
    public HostVerdicts Create() => create();
}
