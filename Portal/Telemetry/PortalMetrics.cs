using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ShadowMcp.Portal.Telemetry;

/// <summary>
/// The portal's instruments (meter <see cref="MeterName"/>; names and labels listed in README "Metrics").
/// Labels come only from bounded sets: catalog server ids, exposed tool names found in the catalog, audit outcome
/// names, DLP detector names. Never a caller's text: an unknown tool name, a resource URI or any argument would
/// make one series per request and could carry a secret into the metrics store.
/// A leaf of the portal's folders: the pipeline, code mode and hosting hand it plain values.
/// </summary>
internal sealed class PortalMetrics
{
    public const string MeterName = "ShadowMcp.Portal";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _dlpHits;
    private readonly Counter<long> _codeModeRuns;
    private readonly Counter<long> _codeModeLimits;
    private readonly Counter<long> _sessionLimits;

    private readonly Histogram<double> _auditWaits;

    /// <param name="upstreams">Each upstream's id and whether it answered its last list, read when a reader collects.</param>
    /// <param name="auditQueued">Audit rows waiting for the writer, read when a reader collects (none: no gauge).</param>
    /// <param name="sessions">Caller sessions held now, read when a reader collects (none: no gauge).</param>
    public PortalMetrics(IMeterFactory meters, Func<IEnumerable<(string Id, bool Healthy)>> upstreams,
        Func<int>? auditQueued = null, Func<int>? sessions = null)
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
        meter.CreateObservableGauge("shadowmcp.portal.upstream.healthy", () => upstreams()
                .Select(u => new Measurement<int>(u.Healthy ? 1 : 0, new KeyValuePair<string, object?>("server", u.Id))),
            "1", "1 while the upstream answered its last list, else 0");
        _auditWaits = meter.CreateHistogram<double>("shadowmcp.portal.audit.queue.wait", "s",
            "Time a call waited for room in the full audit queue, by whether the caller was cancelled meanwhile",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30] });
        _sessionLimits = meter.CreateCounter<long>("shadowmcp.portal.sessions.limited", "{session}",
            "Initializes that met portal.maxSessionsPerUser or portal.maxSessions, by action (evicted, refused-user, refused-full)");
        if (sessions is not null)
            meter.CreateObservableGauge("shadowmcp.portal.sessions", sessions, "{session}",
                "Stateful caller sessions held now (at most portal.maxSessions)");
        if (auditQueued is not null)
            meter.CreateObservableGauge("shadowmcp.portal.audit.queue.rows", auditQueued, "{row}",
                "Audit rows queued for the writer (at most portal.audit.queueLimit)");
    }

    /// <summary>A call found the audit queue full and waited (its count is the histogram's count).</summary>
    public void AuditQueueWait(TimeSpan waited, bool abandoned) =>
        _auditWaits.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("cancelled", abandoned));

    /// <param name="tool">The exposed tool name when the catalog resolved it (or the built-in tool), else "".</param>
    /// <param name="dlpHits">Each DLP match: its direction (arguments, result, error) and detector.</param>
    public void Call(string method, string? server, string tool, string outcome, TimeSpan elapsed,
        IEnumerable<(string Direction, string Detector)> dlpHits)
    {
        var tags = new TagList
        {
            { "mcp.method", method },
            { "server", server ?? "" },
            { "tool", tool },
            { "outcome", outcome },
        };
        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        foreach (var (direction, detector) in dlpHits)
            _dlpHits.Add(1, new KeyValuePair<string, object?>("direction", direction), new KeyValuePair<string, object?>("detector", detector));
    }

    /// <param name="action">evicted (the user's least recently used idle session closed), refused-user or refused-full.</param>
    public void SessionLimit(string action) => _sessionLimits.Add(1, new KeyValuePair<string, object?>("action", action));

    /// <param name="limit">The limit that stopped it ("code-size", "slots", or a sandbox limit), or null.</param>
    public void CodeMode(string tool, string outcome, string? limit)
    {
        _codeModeRuns.Add(1, new KeyValuePair<string, object?>("tool", tool), new KeyValuePair<string, object?>("outcome", outcome));
        if (limit is not null) _codeModeLimits.Add(1, new KeyValuePair<string, object?>("limit", limit));
    }
}
