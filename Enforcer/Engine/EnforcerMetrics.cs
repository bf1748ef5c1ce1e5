using System.Diagnostics.Metrics;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// The enforcer's instrument (meter <see cref="MeterName"/>; README "Metrics"): one count per action row completed,
/// by command (apply, rollback, expire), backend name from the policy, and result (ok, failed). One static meter:
/// the engine is built by commands, the admin UI and tests alike, and a process enforces one policy.
/// </summary>
public static class EnforcerMetrics
{
    public const string MeterName = "ShadowMcp.Enforcer";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Actions = Meter.CreateCounter<long>("shadowmcp.enforcer.actions", "{action}",
        "Enforcement actions completed, by command (apply, rollback, expire), backend and result (ok, failed)");

    internal static void Completed(ActionRow row) => Actions.Add(1,
        new KeyValuePair<string, object?>("command", row.Command),
        new KeyValuePair<string, object?>("backend", row.Backend),
        new KeyValuePair<string, object?>("result", row.Result));
}
