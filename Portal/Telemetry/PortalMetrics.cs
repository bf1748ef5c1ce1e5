using System.Diagnostics;
using System.Diagnostics.Metrics;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Telemetry;

/// <summary>
/// The portal's instruments (meter <see cref="MeterName"/>; names and labels listed in README "Metrics").
/// Labels come only from bounded sets: catalog server ids, exposed tool names found in the catalog, audit outcome
/// names, DLP detector names. Never a caller's text: an unknown tool name, a resource URI or any argument would
/// make one series per request and could carry a secret into the metrics store.
/// </summary>
internal sealed class PortalMetrics
{
    public const string MeterName = "ShadowMcp.Portal";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _dlpHits;
    private readonly Counter<long> _codeModeRuns;
    private readonly Counter<long> _codeModeLimits;

    public PortalMetrics(IMeterFactory meters, UpstreamRegistry registry)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("shadowmcp.portal.calls", "{call}",
            "Requests through the portal pipeline, by MCP method, server, tool and audit outcome");
        _duration = meter.CreateHistogram<double>("shadowmcp.portal.call.duration", "s",
            "Time from the request entering the pipeline to its audit row, by MCP method, server, tool and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _dlpHits = meter.CreateCounter<long>("shadowmcp.portal.dlp.hits", "{hit}",
            "DLP detector matches, by direction (arguments, result, error) and detector");
        _codeModeRuns = meter.CreateCounter<long>("shadowmcp.portal.codemode.executions", "{execution}",
            "Code-mode requests, by tool (search, execute) and audit outcome");
        _codeModeLimits = meter.CreateCounter<long>("shadowmcp.portal.codemode.limits", "{execution}",
            "Code-mode requests stopped by a limit, by limit");
        meter.CreateObservableGauge("shadowmcp.portal.upstream.healthy", () => registry.Status()
                .Select(s => new Measurement<int>(s.Healthy ? 1 : 0, new KeyValuePair<string, object?>("server", s.Id))),
            "1", "1 while the upstream answered its last list, else 0");
    }

    public void Call(CallRecord call)
    {
        var tags = new TagList
        {
            { "mcp.method", call.Method },
            { "server", call.Server ?? "" },
            { "tool", CatalogToolName(call) },
            { "outcome", CallOutcomes.AuditName(call.Outcome) },
        };
        _calls.Add(1, tags);
        _duration.Record(call.Elapsed.TotalSeconds, tags);
        foreach (var (direction, result) in call.Dlp)
            foreach (var hit in result.Hits)
                _dlpHits.Add(1, new KeyValuePair<string, object?>("direction", direction), new KeyValuePair<string, object?>("detector", hit.Detector));
    }

    /// <param name="limit">The limit that stopped it ("code-size", "slots", or a sandbox limit), or null.</param>
    public void CodeMode(string tool, string outcome, string? limit)
    {
        _codeModeRuns.Add(1, new KeyValuePair<string, object?>("tool", tool), new KeyValuePair<string, object?>("outcome", outcome));
        if (limit is not null) _codeModeLimits.Add(1, new KeyValuePair<string, object?>("limit", limit));
    }

    /// <summary>The limit label for a sandbox failure that is a limit, else null.</summary>
    public static string? LimitOf(SandboxFailure failure) => failure switch
    {
        SandboxFailure.Timeout or SandboxFailure.MemoryLimit or SandboxFailure.StatementLimit or SandboxFailure.RecursionLimit
            or SandboxFailure.OutputLimit or SandboxFailure.RegexTimeout or SandboxFailure.ToolCallLimit
            => failure.ToString().ToLowerInvariant(),
        _ => null,
    };

    /// <summary>A tools/call's name once the catalog resolved it (it then names a server) or the built-in tool; else "".</summary>
    internal static string CatalogToolName(CallRecord call) =>
        call.Method == "tools/call" && (call.Server is not null || call.Name == PortalGateway.ListServersTool) ? call.Name ?? "" : "";
}
